// The maturity report reads every team in one statement: each team's figures equal that team's
// own criteria (the single-group query the property test holds to the pure definitions), the
// org's equal the Evidence page's, an empty team has zeros, and the period before is the same
// length just before.
import { type DatabaseFixture, useTestDatabase } from '@parallax/db/test-database';
import {
  type CriteriaSummary,
  type CriteriaTotals,
  criteriaFromTotals,
  criteriaQuery,
  criteriaWithWeeksQuery,
  type SessionFacts,
} from '@parallax/metrics';
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { maturityReport } from './report.ts';
import { rebuildEvidence } from './rollups.ts';
import { resolveScope } from './scope.ts';
import { evidenceSummary } from './summary.ts';
import { insertHistory } from './testing/history.ts';

let fx: DatabaseFixture;
const ORG = 'org-report';
const NOW = new Date('2026-06-30T12:00:00Z');
const DEVS = ['dev-1', 'dev-2', 'dev-3'];
const TEAMS = [
  { id: 'team-both', name: 'Both', members: ['dev-1', 'dev-2'] },
  { id: 'team-empty', name: 'Empty', members: [] },
  { id: 'team-solo', name: 'Solo', members: ['dev-3'] },
];

/** Eight weeks: dev-1 runs three at once on weekdays, dev-2 one at a time, dev-3 fails often. */
function history(): SessionFacts[] {
  const facts: SessionFacts[] = [];
  const at = (d: number, h: number) => new Date(Date.UTC(2026, 4, 4 + d, h));
  let n = 0;
  for (let d = 0; d < 56; d++) {
    DEVS.forEach((dev, i) => {
      const parallel = dev === 'dev-1' && d % 7 < 5 ? 3 : 1;
      for (let p = 0; p < parallel; p++) {
        const k = n++;
        const ok = dev === 'dev-3' ? k % 2 === 0 : k % 5 !== 0;
        facts.push({
          sessionId: `s-${k}`,
          invocationId: `i-${k}`,
          developerId: dev,
          repositoryId: i % 2 ? 'api' : 'web',
          channel: (['WEB', 'CLI', 'SLACK', 'SCHEDULE'] as const)[k % 4]!,
          status: ok ? 'SUCCEEDED' : 'FAILED',
          cancelledWhileQueued: false,
          dispatchedUnattended: k % 9 === 0,
          taskType: k % 4 === 0 ? 'COMPLEX' : 'STANDARD',
          receivedAt: at(d, 9),
          startedAt: at(d, 9),
          endedAt: at(d, 11),
          slaMinutes: 150,
          costUsd: 0.75,
          interventionTimes: k % 6 === 0 ? [at(d, 10)] : [],
          pr: ok ? { openedAt: at(d, k % 3 ? 11 : 12), mergedAt: at(d + 1, 9), firstReviewAt: k % 4 === 1 ? at(d, 15) : null } : null,
        });
      }
    });
  }
  return facts;
}

beforeAll(async () => {
  fx = await useTestDatabase();
  const owner = new pg.Client({ connectionString: fx.ownerUrl });
  await owner.connect();
  await insertHistory(owner, { orgId: ORG, timeZone: 'UTC', facts: history() });
  for (const id of [...DEVS, 'lead']) {
    await owner.query(`INSERT INTO "User" (id, email, name, "updatedAt") VALUES ($1, $2, $1, now())`, [id, `${id}@example.test`]);
    await owner.query(`INSERT INTO "Membership" (id, "orgId", "userId", role) VALUES ($1, $2, $3, $4)`, [
      `m-${id}`,
      ORG,
      id,
      id === 'lead' ? 'LEAD' : 'DEVELOPER',
    ]);
  }
  for (const t of TEAMS) {
    await owner.query(`INSERT INTO "Team" (id, "orgId", name, slug) VALUES ($1, $2, $3, $1)`, [t.id, ORG, t.name]);
    for (const m of t.members) {
      await owner.query(`INSERT INTO "TeamMember" (id, "orgId", "teamId", "membershipId") VALUES ($1, $2, $3, $4)`, [
        `tm-${t.id}-${m}`,
        ORG,
        t.id,
        `m-${m}`,
      ]);
    }
  }
  await owner.end();
  await rebuildEvidence(fx.db, ORG, { now: NOW });
});

describe('the maturity report', () => {
  for (const repositoryId of [null, `${ORG}:api`]) {
    it(`states each team's own criteria and the org's, now and before (${repositoryId ? 'one repository' : 'all repositories'})`, async () => {
      const input = { orgId: ORG, from: '2026-06-01', to: '2026-06-28', ...(repositoryId ? { repositoryId } : {}) };
      const { summary, scope } = await fx.db.forOrg(ORG, async (tx) => {
        const scope = await resolveScope(tx, { userId: 'lead', role: 'LEAD' }, input, NOW);
        return { scope, summary: await evidenceSummary(tx, scope) };
      });
      const report = await maturityReport((work) => fx.db.forOrg(ORG, work), scope);
      expect(report.org.current).toEqual(summary.current);
      expect(report.org.previous).toEqual(summary.previous);
      // The charts' figures of each week are the Evidence page's, read from fewer columns.
      const charted = (w: { week: string } & CriteriaSummary) => ({
        week: w.week,
        parallel: w.parallel,
        completion: w.completion,
        sla: w.sla,
      });
      expect(report.org.weeks).toEqual(summary.weeks.map(charted));
      expect(summary.weeks.some((w) => w.parallel.meeting > 0 && (w.sla.counted ?? 0) > 0)).toBe(true);
      expect(report.teams.map((t) => [t.name, t.members])).toEqual([
        ['Both', 2],
        ['Empty', 0],
        ['Solo', 1],
      ]);
      const own = async (developers: string[], from: string, to: string) => {
        const q = criteriaQuery({ orgId: ORG, from, to, developers, repositoryId, slaTarget: report.slaTarget });
        const rows = await fx.db.forOrg(ORG, (tx) => tx.$queryRawUnsafe<CriteriaTotals[]>(q.text, ...q.values));
        return criteriaFromTotals(rows[0]!, report.slaTarget);
      };
      const ownWeeks = async (developers: string[]) => {
        const q = criteriaWithWeeksQuery({
          orgId: ORG,
          from: scope.from,
          to: scope.to,
          developers,
          repositoryId,
          slaTarget: report.slaTarget,
        });
        const [, ...rows] = await fx.db.forOrg(ORG, (tx) => tx.$queryRawUnsafe<(CriteriaTotals & { week: string })[]>(q.text, ...q.values));
        return rows.map((r) => charted({ week: r.week, ...criteriaFromTotals(r, report.slaTarget) }));
      };
      for (const [i, t] of TEAMS.entries()) {
        expect(report.teams[i]!.weeks).toEqual(await ownWeeks(t.members));
        expect(report.teams[i]!.weeks.map((w) => w.week)).toEqual(['2026-06-01', '2026-06-08', '2026-06-15', '2026-06-22']);
        expect(report.teams[i]!.current).toEqual(await own(t.members, scope.from, scope.to));
        expect(report.teams[i]!.previous).toEqual(await own(t.members, scope.previous.from, scope.previous.to));
      }
      const [both, empty, solo] = report.teams;
      expect(both!.current.parallel).toMatchObject({ activeDevelopers: 2, meeting: 1 });
      expect(solo!.current.completion.finished > 0).toBe(!repositoryId); // dev-3 works in web only
      expect(both!.current.completion.finished).toBeGreaterThan(solo!.current.completion.finished);
      expect(empty!.current.completion).toMatchObject({ finished: 0, rate: null });
      expect(empty!.level).toBe('below L4');
    });
  }

  it("reads a team's members as they are after a change, through the transactions it opens", async () => {
    // A member change marks the team; the report rewrites its rollups and commits that before
    // its reads, each in a transaction of its own, see them: else Empty would read as empty.
    const input = { orgId: ORG, from: '2026-06-01', to: '2026-06-28' };
    await fx.db.forOrg(ORG, (tx) => tx.teamMember.update({ where: { id: 'tm-team-solo-dev-3' }, data: { teamId: 'team-empty' } }));
    try {
      const scope = await fx.db.forOrg(ORG, (tx) => resolveScope(tx, { userId: 'lead', role: 'LEAD' }, input, NOW));
      const report = await maturityReport((work) => fx.db.forOrg(ORG, work), scope);
      const q = criteriaQuery({
        orgId: ORG,
        from: scope.from,
        to: scope.to,
        developers: ['dev-3'],
        repositoryId: null,
        slaTarget: report.slaTarget,
      });
      const [own] = await fx.db.forOrg(ORG, (tx) => tx.$queryRawUnsafe<CriteriaTotals[]>(q.text, ...q.values));
      const [, empty, solo] = report.teams;
      expect(empty!.members).toBe(1);
      expect(empty!.current).toEqual(criteriaFromTotals(own!, report.slaTarget));
      expect(empty!.current.completion.finished).toBeGreaterThan(0);
      expect(solo!.current.completion).toMatchObject({ finished: 0, rate: null });
      expect(solo!.weeks.every((w) => w.completion.finished === 0)).toBe(true);
      const stale = await fx.db.forOrg(ORG, (tx) => tx.staleTeamWeeks.count({ where: { orgId: ORG } }));
      expect(stale).toBe(0);
    } finally {
      await fx.db.forOrg(ORG, (tx) => tx.teamMember.update({ where: { id: 'tm-team-solo-dev-3' }, data: { teamId: 'team-solo' } }));
    }
  });
});
