// The rows behind each tile, chosen and paged in PostgreSQL, are the sessions the pure
// definitions in @parallax/metrics pick, in the same order, for random histories, periods and
// scopes (a team, a repository, one person's own rows and the others' hidden).
import { useTestDatabaseWithOwner, type DatabaseFixture } from '@parallax/db/test-database';
import { dayOf, isFinished, isUnattendedSession, isWithdrawnByRequester, type SessionFacts, slaVerdict } from '@parallax/metrics';
import fc from 'fast-check';
import type pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Criterion, evidenceRows } from './rows.ts';
import { rebuildEvidence } from './rollups.ts';
import type { EvidenceScope } from './scope.ts';
import { BASE, DAY, factsOf, historyArb } from './testing/generated.ts';
import { insertHistory, scoped } from './testing/history.ts';

let fx: DatabaseFixture;
let owner: pg.Client;
beforeAll(async () => {
  ({ owner, ...fx } = await useTestDatabaseWithOwner());
});

type Listed = Exclude<Criterion, 'parallel'>;
const LISTED: Listed[] = ['completion', 'unattended', 'sla', 'sla-breaches', 'pull-requests', 'channels'];
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** What each tile counts, by the pure functions: the session and the instant it is listed by. */
function pureRows(criterion: Listed, facts: SessionFacts[], now: Date): { s: SessionFacts; at: Date }[] {
  switch (criterion) {
    case 'completion':
      return facts.filter((s) => s.endedAt && isFinished(s)).map((s) => ({ s, at: s.endedAt! }));
    case 'unattended':
      return facts.filter((s) => s.endedAt && isFinished(s) && isUnattendedSession(s)).map((s) => ({ s, at: s.endedAt! }));
    case 'sla':
    case 'sla-breaches':
      return facts
        .filter((s) => {
          if (s.slaMinutes === null) return false;
          const v = slaVerdict(
            {
              receivedAt: s.receivedAt,
              slaMinutes: s.slaMinutes,
              prOpenedAt: s.pr?.openedAt ?? null,
              shouldProducePr: s.taskType !== 'INVESTIGATION',
              withdrawnByRequester: isWithdrawnByRequester(s),
            },
            now,
          );
          return criterion === 'sla' ? v !== 'excluded' && v !== 'open' : v === 'breached' || v === 'missed';
        })
        .map((s) => ({ s, at: s.receivedAt }));
    case 'pull-requests':
      return facts.filter((s) => s.pr?.mergedAt).map((s) => ({ s, at: s.pr!.mergedAt! }));
    case 'channels': {
      // Each invocation once, under its first session (channelDays).
      const first = new Map<string, SessionFacts>();
      for (const s of facts)
        if (!first.has(s.invocationId) || cmp(s.sessionId, first.get(s.invocationId)!.sessionId) < 0) first.set(s.invocationId, s);
      return [...first.values()].map((s) => ({ s, at: s.receivedAt }));
    }
  }
}

const scopeArb = fc.record({
  fromOffset: fc.integer({ min: -1, max: 4 }),
  days: fc.integer({ min: 1, max: 6 }),
  team: fc.option(fc.subarray(['ana', 'bo', 'cy'], { minLength: 1 }), { nil: null }),
  repository: fc.option(fc.constantFrom('repo-1', 'repo-2'), { nil: null }),
  viewer: fc.option(fc.constantFrom('ana', 'bo', 'cy'), { nil: null }),
  page: fc.record({ offset: fc.integer({ min: 0, max: 12 }), limit: fc.integer({ min: 1, max: 8 }) }),
});

describe('the rows behind the tiles, in PostgreSQL', () => {
  it('are the sessions the pure definitions pick, in the same order, for random periods and scopes', { timeout: 240_000 }, async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(historyArb, fc.array(scopeArb, { minLength: 1, maxLength: 3 }), async (h, scopes) => {
        const orgId = `org-rows-prop-${n++}`;
        const { facts, now } = factsOf(h);
        await insertHistory(owner, { orgId, timeZone: h.zone, facts });
        // The counts are the rollups' own figures (the tiles'), so they are built first.
        await rebuildEvidence(fx.db, orgId, { now });
        for (const g of scopes) {
          const from = dayOf(BASE + g.fromOffset * DAY, h.zone);
          const to = dayOf(BASE + (g.fromOffset + g.days - 1) * DAY, h.zone);
          const scope: EvidenceScope = {
            orgId,
            timeZone: h.zone,
            demo: false,
            from,
            to,
            previous: { from, to },
            days: g.days,
            teamId: null,
            teamName: null,
            repositoryId: g.repository ? scoped(orgId, g.repository) : null,
            repositoryName: g.repository,
            restrictTo: g.team,
            groupSize: 3,
            minGroupSize: 5,
            seesIndividuals: g.viewer === null,
            seesAllSessions: g.viewer === null,
            viewerId: g.viewer ?? 'lead',
            now,
          };
          const inScope = (s: SessionFacts) =>
            (!g.team || g.team.includes(s.developerId)) && (!g.repository || s.repositoryId === g.repository);
          for (const criterion of LISTED) {
            const want = pureRows(criterion, facts, now)
              .filter(({ s, at }) => inScope(s) && dayOf(at, h.zone) >= from && dayOf(at, h.zone) <= to)
              .sort((a, b) => b.at.getTime() - a.at.getTime() || cmp(a.s.sessionId, b.s.sessionId));
            const mine = want.filter(({ s }) => !g.viewer || s.developerId === g.viewer).map(({ s }) => scoped(orgId, s.sessionId));
            const all = await fx.db.forOrg(orgId, (tx) => evidenceRows(tx, scope, criterion, { offset: 0, limit: 1_000 }));
            expect(
              all.rows.map((r) => r.sessionId),
              criterion,
            ).toEqual(mine);
            expect([all.total, all.hidden], criterion).toEqual([mine.length, want.length - mine.length]);
            const page = await fx.db.forOrg(orgId, (tx) => evidenceRows(tx, scope, criterion, g.page));
            expect(
              page.rows.map((r) => r.sessionId),
              `${criterion} page`,
            ).toEqual(mine.slice(g.page.offset, g.page.offset + g.page.limit));
            expect(page.total).toBe(mine.length);
          }
        }
      }),
      { numRuns: 40 },
    );
  });
});
