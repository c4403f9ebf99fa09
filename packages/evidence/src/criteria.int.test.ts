// The five criteria read from the rollups in PostgreSQL agree with the pure definitions over the
// raw session facts, for random histories, random periods, the org, a team and a repository.
import { useTestDatabaseWithOwner, type DatabaseFixture } from '@parallax/db/test-database';
import {
  channelsByWeekQuery,
  criteria,
  criteriaCountsQuery,
  criteriaFromTotals,
  criteriaGroupsQuery,
  criteriaQuery,
  type CriteriaTotals,
  criteriaWithWeeksQuery,
  dayOf,
  type SessionFacts,
  weekOf,
  weeksOf,
} from '@parallax/metrics';
import fc from 'fast-check';
import type pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { rebuildEvidence } from './rollups.ts';
import { BASE, DAY, factsOf, historyArb, periodScopeArb } from './testing/generated.ts';
import { insertHistory } from './testing/history.ts';

let fx: DatabaseFixture;
let owner: pg.Client;
beforeAll(async () => {
  ({ owner, ...fx } = await useTestDatabaseWithOwner());
});

describe('criteria from the rollups', () => {
  it('equal the pure criteria over the raw facts', { timeout: 240_000 }, async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(historyArb, periodScopeArb, async (h, sc) => {
        const orgId = `org-criteria-${n++}`;
        const { facts, now } = factsOf(h, { batchesKeepDeveloper: true });
        await insertHistory(owner, { orgId, timeZone: h.zone, facts });
        await rebuildEvidence(fx.db, orgId, { now });
        const from = dayOf(BASE + sc.startOffset, h.zone);
        const to = dayOf(BASE + sc.startOffset + sc.length * DAY, h.zone);
        const group = sc.team ? facts.filter((f) => sc.team!.includes(f.developerId)) : facts;
        const want = criteria(group, { from, to, timeZone: h.zone, now, slaTarget: sc.slaTarget }, sc.repository);

        const scope = {
          orgId,
          from,
          to,
          developers: sc.team,
          repositoryId: sc.repository ? `${orgId}:${sc.repository}` : null,
          slaTarget: sc.slaTarget,
        };
        const q = criteriaQuery(scope);
        const { rows } = await owner.query<CriteriaTotals>(q.text, q.values);
        expectSame(criteriaFromTotals(rows[0]!, sc.slaTarget), want);

        // The period and its weeks in one statement: the period's row first (week null), the
        // same as the period alone; then each week's, the criteria over that week clipped to the period.
        const both = criteriaWithWeeksQuery(scope);
        const [period, ...weeks] = (await owner.query<CriteriaTotals & { week: string | null }>(both.text, both.values)).rows;
        expect(period!.week).toBeNull();
        expectSame(criteriaFromTotals(period!, sc.slaTarget), want);
        expect(weeks.map((w) => w.week)).toEqual(weeksOf(from, to));
        for (const w of weeks) {
          const end = new Date(Date.parse(`${w.week}T00:00:00Z`) + 6 * DAY).toISOString().slice(0, 10);
          const period = { from: w.week! < from ? from : w.week!, to: end > to ? to : end, timeZone: h.zone, now, slaTarget: sc.slaTarget };
          expectSame(criteriaFromTotals(w, sc.slaTarget), criteria(group, period, sc.repository));
        }

        // The counts alone (what the rows panels count by) are the same counts.
        const counts = criteriaCountsQuery(scope);
        const [c] = (await owner.query<CriteriaTotals>(counts.text, counts.values)).rows;
        expect(Object.keys(c!)).toHaveLength(15);
        expect(c).toEqual(Object.fromEntries(Object.entries(rows[0]!).filter(([k]) => k in c!)));
      }),
      { numRuns: 60 },
    );
  });
});

describe('criteria over whole weeks and end days', () => {
  // Every day of five weeks has work, the parallel and unattended kinds on some days only, so a
  // day counted twice or dropped at a week's edge (Sunday, Monday) changes a figure.
  const HOURS = 3_600_000;
  const facts: SessionFacts[] = [];
  const first = Date.parse('2026-03-02T00:00:00Z'); // a Monday
  for (let d = 0; d < 35; d++) {
    const sessions = d % 7 === 6 ? 3 : 1 + (d % 3); // Sundays run three at once
    for (let k = 0; k < sessions; k++) {
      const at = first + d * 24 * HOURS + 9 * HOURS;
      const id = `${d}-${k}`;
      facts.push({
        sessionId: `ses-${id}`,
        invocationId: `inv-${id}`,
        developerId: d % 2 ? 'ana' : 'bo',
        repositoryId: k % 2 ? 'repo-2' : 'repo-1',
        channel: (['WEB', 'CLI', 'SLACK'] as const)[d % 3]!,
        status: d % 5 === 0 ? 'FAILED' : 'SUCCEEDED',
        cancelledWhileQueued: false,
        dispatchedUnattended: d % 7 === 0,
        taskType: d % 4 === 0 ? 'COMPLEX' : 'STANDARD',
        receivedAt: new Date(at),
        startedAt: new Date(at + 60_000),
        endedAt: new Date(at + 2 * HOURS),
        slaMinutes: 90,
        costUsd: 0.5,
        interventionTimes: d % 6 === 0 ? [new Date(at + 30 * 60_000)] : [],
        pr:
          d % 5 === 0
            ? null
            : { openedAt: new Date(at + (d % 4 === 0 ? 100 : 80) * 60_000), mergedAt: new Date(at + 3 * HOURS), firstReviewAt: null },
      });
    }
  }
  const now = new Date(first + 40 * 24 * HOURS);
  const orgId = 'org-weeks';
  beforeAll(async () => {
    await insertHistory(owner, { orgId, timeZone: 'UTC', facts });
    await rebuildEvidence(fx.db, orgId, { now });
  });

  const periods = [
    ['2026-03-02', '2026-04-05'], // five whole weeks
    ['2026-03-04', '2026-03-29'], // Wednesday to Sunday
    ['2026-03-08', '2026-03-30'], // Sunday to Monday
    ['2026-03-10', '2026-03-14'], // inside one week
    ['2026-03-09', '2026-03-15'], // exactly one week
  ] as const;
  it('several groups in one statement equal each group on its own, empty ones included', async () => {
    const groups = [
      { key: 'both', developers: ['ana', 'bo'] },
      { key: 'empty', developers: [] },
      { key: 'ana', developers: ['ana', 'ana'] },
      { key: 'ghost', developers: ['zed'] },
    ];
    for (const repositoryId of [null, `${orgId}:repo-2`]) {
      const q = criteriaGroupsQuery({ orgId, from: '2026-03-04', to: '2026-03-30', groups, repositoryId });
      const { rows } = await owner.query<CriteriaTotals & { grp: string }>(q.text, q.values);
      expect(rows.map((r) => r.grp)).toEqual(groups.map((g) => g.key));
      rows.forEach((row, i) => {
        const group = facts.filter((f) => groups[i]!.developers.includes(f.developerId));
        const period = { from: '2026-03-04', to: '2026-03-30', timeZone: 'UTC', now, slaTarget: 0.9 };
        expectSame(criteriaFromTotals(row, 0.9), criteria(group, period, repositoryId ? 'repo-2' : null));
      });
      expect(rows[0]!.finished).toBeGreaterThan(rows[2]!.finished);
    }
  });

  for (const [from, to] of periods) {
    for (const developers of [null, ['ana']]) {
      for (const repositoryId of [null, `${orgId}:repo-2`]) {
        it(`${from} to ${to}, ${developers ? 'a team' : 'the org'}, ${repositoryId ? 'one repository' : 'all'}`, async () => {
          const group = developers ? facts.filter((f) => developers.includes(f.developerId)) : facts;
          const want = criteria(group, { from, to, timeZone: 'UTC', now, slaTarget: 0.9 }, repositoryId ? 'repo-2' : null);
          const q = criteriaQuery({ orgId, from, to, developers, repositoryId, slaTarget: 0.9 });
          const { rows } = await owner.query<CriteriaTotals>(q.text, q.values);
          expectSame(criteriaFromTotals(rows[0]!, 0.9), want);
          expect(want.completion.finished).toBeGreaterThan(0);

          // Invocations per channel and week (each invocation here has one session, received that day).
          const counts = new Map<string, number>();
          for (const f of group) {
            const day = dayOf(f.receivedAt, 'UTC');
            if (day < from || day > to || (repositoryId && f.repositoryId !== 'repo-2')) continue;
            const key = `${weekOf(day)}|${f.channel}`;
            counts.set(key, (counts.get(key) ?? 0) + 1);
          }
          const c = channelsByWeekQuery({ orgId, from, to, developers, repositoryId, slaTarget: 0.9 });
          const got = (await owner.query<{ week: string; channel: string; invocations: number }>(c.text, c.values)).rows;
          expect(got.map((r) => `${r.week}|${r.channel}=${r.invocations}`)).toEqual(
            [...counts.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, n]) => `${k}=${n}`),
          );
        });
      }
    }
  }
});

function expectSame(got: ReturnType<typeof criteria>, want: ReturnType<typeof criteria>) {
  const { cost: gotCost, pullRequests: gotPrs, ...gotRest } = got;
  const { cost: wantCost, pullRequests: wantPrs, ...wantRest } = want;
  expect(gotRest).toEqual(wantRest);
  expect({ ...gotPrs, meanReviewLatencyMs: null }).toEqual({ ...wantPrs, meanReviewLatencyMs: null });
  expect(gotPrs.meanReviewLatencyMs === null).toBe(wantPrs.meanReviewLatencyMs === null);
  if (wantPrs.meanReviewLatencyMs !== null) expect(gotPrs.meanReviewLatencyMs).toBeCloseTo(wantPrs.meanReviewLatencyMs, 3);
  expect({ ...gotCost, reportedUsd: 0, usdPerMergedPr: null }).toEqual({ ...wantCost, reportedUsd: 0, usdPerMergedPr: null });
  expect(gotCost.reportedUsd).toBeCloseTo(wantCost.reportedUsd, 6);
  expect(gotCost.usdPerMergedPr === null).toBe(wantCost.usdPerMergedPr === null);
}
