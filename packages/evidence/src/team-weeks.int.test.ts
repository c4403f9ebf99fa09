// TeamWeek and TeamDay (a team's members' weeks and days summed) and OrgWeek (the org's
// criterion-3 counts per week): the report's teams read whole weeks and end days from them, so
// they must give what the members' own rows give, after a rebuild, after each session's own
// refresh, and after the team's members change (a trigger marks the team; the next read of
// team figures rewrites it).
import { useTestDatabaseWithOwner, type DatabaseFixture } from '@parallax/db/test-database';
import { criteria, criteriaFromTotals, criteriaGroupsWithWeeksQuery, type CriteriaTotals, type SessionFacts } from '@parallax/metrics';
import type pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { rebuildEvidence, refreshSessionEvidence, refreshStaleTeamWeeks, teamRollupsCurrent } from './rollups.ts';
import { insertHistory, scoped } from './testing/history.ts';

let fx: DatabaseFixture;
let owner: pg.Client;
beforeAll(async () => {
  ({ owner, ...fx } = await useTestDatabaseWithOwner());
});

const HOURS = 3_600_000;
const FIRST = Date.parse('2026-03-02T00:00:00Z'); // a Monday
const NOW = new Date(FIRST + 40 * 24 * HOURS);
const PEOPLE = ['ana', 'bo', 'cy', 'dee'];

/**
 * Five weeks in which each person runs 1 to 5 sessions at once on most days, on a rhythm of their
 * own, so weekly and period medians differ between people and teams; `zed` has sessions but is
 * no member (the org counts them, no team does); `dee` starts late and misses a week.
 */
function history(): SessionFacts[] {
  const facts: SessionFacts[] = [];
  for (let d = 0; d < 35; d++) {
    for (const [i, dev] of [...PEOPLE, 'zed'].entries()) {
      if ((d + i) % 6 === 5) continue;
      // dee starts in the second week and skips the fourth: a late start and a gap.
      if (dev === 'dee' && (d < 9 || (d >= 21 && d <= 27))) continue;
      const sessions = 1 + ((d * (i + 1)) % 5);
      for (let k = 0; k < sessions; k++) {
        const at = FIRST + d * 24 * HOURS + (8 + i) * HOURS;
        const id = `${dev}-${d}-${k}`;
        facts.push({
          sessionId: `ses-${id}`,
          invocationId: `inv-${id}`,
          developerId: dev,
          repositoryId: k % 2 ? 'repo-2' : 'repo-1',
          channel: (['WEB', 'CLI', 'SLACK', 'GITHUB'] as const)[(d + i) % 4]!,
          status: (d + k) % 5 === 0 ? 'FAILED' : 'SUCCEEDED',
          cancelledWhileQueued: false,
          dispatchedUnattended: (d + i) % 7 === 0,
          taskType: k % 3 === 0 ? 'COMPLEX' : 'STANDARD',
          receivedAt: new Date(at),
          startedAt: new Date(at + 60_000),
          endedAt: new Date(at + 2 * HOURS),
          slaMinutes: 90,
          costUsd: 0.25 * (i + 1),
          interventionTimes: (d + k) % 6 === 0 ? [new Date(at + 30 * 60_000)] : [],
          pr:
            (d + k) % 5 === 0
              ? null
              : { openedAt: new Date(at + (k % 3 === 0 ? 100 : 80) * 60_000), mergedAt: new Date(at + 3 * HOURS), firstReviewAt: null },
        });
      }
    }
  }
  return facts;
}
const FACTS = history();

const TEAMS: Record<string, string[]> = { ab: ['ana', 'bo'], c: ['cy'], abc: ['ana', 'bo', 'cy'], empty: [] };

async function insertOrg(orgId: string, facts: readonly SessionFacts[] = FACTS): Promise<void> {
  await insertHistory(owner, { orgId, timeZone: 'UTC', facts });
  for (const person of PEOPLE) {
    await owner.query(`INSERT INTO "User" (id, email, name, "updatedAt") VALUES ($1, $2, $1, now()) ON CONFLICT (id) DO NOTHING`, [
      person,
      `${person}@example.test`,
    ]);
    await owner.query(`INSERT INTO "Membership" (id, "orgId", "userId", role) VALUES ($1, $2, $3, 'DEVELOPER')`, [
      `${orgId}-m-${person}`,
      orgId,
      person,
    ]);
  }
  for (const [team, members] of Object.entries(TEAMS)) {
    await owner.query(`INSERT INTO "Team" (id, "orgId", name, slug) VALUES ($1, $2, $3, $3)`, [`${orgId}-${team}`, orgId, team]);
    for (const person of members) await addMember(owner, orgId, team, person);
  }
}

const addMember = (client: { query(text: string, values: unknown[]): Promise<unknown> }, orgId: string, team: string, person: string) =>
  client.query(`INSERT INTO "TeamMember" (id, "orgId", "teamId", "membershipId") VALUES ($1, $2, $3, $4)`, [
    `${orgId}-${team}-${person}`,
    orgId,
    `${orgId}-${team}`,
    `${orgId}-m-${person}`,
  ]);

/** The teams as they stand, each with its members' user ids. */
async function teamsOf(orgId: string): Promise<{ id: string; developers: string[] }[]> {
  const { rows } = await owner.query<{ id: string; developers: string[] }>(
    `SELECT t.id, coalesce(array_agg(m."userId" ORDER BY m."userId") FILTER (WHERE m.id IS NOT NULL), '{}') AS developers
     FROM "Team" t LEFT JOIN "TeamMember" tm ON tm."teamId" = t.id LEFT JOIN "Membership" m ON m.id = tm."membershipId"
     WHERE t."orgId" = $1 GROUP BY t.id ORDER BY t.id`,
    [orgId],
  );
  return rows;
}

const PERIODS = [
  ['2026-03-02', '2026-04-05'], // five whole weeks
  ['2026-03-04', '2026-03-29'], // Wednesday to Sunday: end days around whole weeks
  ['2026-03-10', '2026-03-14'], // inside one week: no whole week
  ['2026-03-18', '2026-03-18'], // one day
  ['2026-03-16', '2026-03-22'], // a lone whole week
  ['2026-02-01', '2026-02-20'], // before any work
  ['2026-02-20', '2026-03-11'], // starting before the work
  ['2026-03-25', '2026-04-20'], // ending after it, across dee's missing week
] as const;

type Row = CriteriaTotals & { grp: string; week: string | null };
const rounded = (rows: Row[]) =>
  rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'number' ? Math.round(v * 1e6) / 1e6 : v])));

/**
 * Every team's figures, period and weeks, read through TeamWeek, equal the same read over its
 * members' own rows, which the criteria tests hold to the pure definitions; and the period's
 * equal the pure criteria over the members' facts here too.
 */
async function expectTeamsRight(orgId: string): Promise<void> {
  const teams = await teamsOf(orgId);
  for (const [from, to] of PERIODS) {
    const base = { orgId, from, to, repositoryId: null };
    const viaTeams = criteriaGroupsWithWeeksQuery({
      ...base,
      groups: teams.map((t) => ({ key: t.id, developers: t.developers, teamId: t.id })),
    });
    const viaMembers = criteriaGroupsWithWeeksQuery({ ...base, groups: teams.map((t) => ({ key: t.id, developers: t.developers })) });
    expect(viaTeams.text).toContain('"TeamWeek"');
    expect(viaMembers.text).not.toContain('"TeamWeek"');
    const got = (await owner.query<Row>(viaTeams.text, viaTeams.values)).rows;
    const want = (await owner.query<Row>(viaMembers.text, viaMembers.values)).rows;
    expect(rounded(got)).toEqual(rounded(want));
    for (const t of teams) {
      const period = got.find((r) => r.grp === t.id && r.week === null)!;
      const facts = FACTS.filter((f) => t.developers.includes(f.developerId));
      const pure = criteria(facts, { from, to, timeZone: 'UTC', now: NOW, slaTarget: 0.9 });
      const summary = criteriaFromTotals(period, 0.9);
      expect(summary.parallel).toEqual(pure.parallel);
      expect(summary.completion).toEqual(pure.completion);
      expect(summary.unattended).toEqual(pure.unattended);
      expect(summary.channels).toEqual(pure.channels);
    }
  }
}

const teamWeeks = async (orgId: string) =>
  (
    await owner.query(
      `SELECT "teamId", to_char(week, 'YYYY-MM-DD') AS week, finished, "prsMerged", round("costUsd"::numeric, 6)::float8 AS cost, channels::text[] AS channels,
              "activeDevelopers", "meetingParallel"
       FROM "TeamWeek" WHERE "orgId" = $1 ORDER BY 1, 2`,
      [orgId],
    )
  ).rows.map((r) => ({ ...r, teamId: r.teamId.slice(orgId.length) }));

const teamDays = async (orgId: string) =>
  (
    await owner.query(
      `SELECT "teamId", to_char(day, 'YYYY-MM-DD') AS day, finished, "prsMerged", "slaWithin", round("costUsd"::numeric, 6)::float8 AS cost, channels::text[] AS channels
       FROM "TeamDay" WHERE "orgId" = $1 ORDER BY 1, 2`,
      [orgId],
    )
  ).rows.map((r) => ({ ...r, teamId: r.teamId.slice(orgId.length) }));

const orgWeeks = async (orgId: string) =>
  (
    await owner.query(
      `SELECT to_char(week, 'YYYY-MM-DD') AS week, "activeDevelopers", "meetingParallel" FROM "OrgWeek" WHERE "orgId" = $1 ORDER BY week`,
      [orgId],
    )
  ).rows;

const stale = async (orgId: string) =>
  (await owner.query<{ teamId: string }>(`SELECT "teamId" FROM "StaleTeamWeeks" WHERE "orgId" = $1 ORDER BY 1`, [orgId])).rows.map((r) =>
    r.teamId.slice(orgId.length + 1),
  );

describe('TeamWeek and OrgWeek', () => {
  const orgId = 'org-tw';
  beforeAll(async () => {
    await insertOrg(orgId);
    await rebuildEvidence(fx.db, orgId, { now: NOW });
  }, 120_000);

  it('a rebuild leaves each team the sum of its members, and no team stale', async () => {
    await expectTeamsRight(orgId);
    expect(await stale(orgId)).toEqual([]);
    const rows = await teamWeeks(orgId);
    // Not vacuous: five weeks per team with members, none for the empty team, and weeks where
    // some but not all members reach a median of 3.
    expect(rows.filter((r) => r.teamId === '-ab')).toHaveLength(5);
    expect(rows.filter((r) => r.teamId === '-empty')).toHaveLength(0);
    const days = await teamDays(orgId);
    expect(days.filter((r) => r.teamId === '-ab')).toHaveLength(35);
    expect(days.filter((r) => r.teamId === '-empty')).toHaveLength(0);
    expect(rows.some((r) => r.meetingParallel > 0 && r.meetingParallel < r.activeDevelopers)).toBe(true);
  });

  it("the org's weekly counts cover every developer who worked, members or not", async () => {
    const { rows } = await owner.query<{ week: string; activeDevelopers: number; meetingParallel: number }>(
      `SELECT to_char(week, 'YYYY-MM-DD') AS week, "activeDevelopers", "meetingParallel" FROM "OrgWeek" WHERE "orgId" = $1 ORDER BY week`,
      [orgId],
    );
    expect(rows).toHaveLength(5);
    rows.forEach((r, i) => {
      const monday = new Date(FIRST + i * 7 * 24 * HOURS).toISOString().slice(0, 10);
      const sunday = new Date(FIRST + (i * 7 + 6) * 24 * HOURS).toISOString().slice(0, 10);
      const pure = criteria(FACTS, { from: monday, to: sunday, timeZone: 'UTC', now: NOW, slaTarget: 0.9 }).parallel;
      expect(r).toEqual({ week: monday, activeDevelopers: pure.activeDevelopers, meetingParallel: pure.meeting });
    });
    expect(rows[0]!.activeDevelopers).toBe(4); // dee not yet
  });

  it("each session's own refresh leaves the rows a rebuild leaves", { timeout: 120_000 }, async () => {
    // Ten days (a whole week and three days of the next): enough to cross a week, cheap to refresh one by one.
    const other = 'org-tw-refresh';
    const facts = FACTS.filter((f) => f.receivedAt.getTime() < FIRST + 10 * 24 * HOURS);
    await insertOrg(other, facts);
    // The teams were marked when their members were written: taken now, so that the weeks below
    // are the sessions' own refreshes' alone.
    await fx.db.forOrg(other, (tx) => refreshStaleTeamWeeks(tx, other));
    expect(await teamWeeks(other)).toEqual([]);
    // Newest first: a week's rows are rewritten before the weeks under them exist.
    for (const f of [...facts].reverse())
      await fx.db.forOrg(other, (tx) => refreshSessionEvidence(tx, { orgId: other, sessionId: scoped(other, f.sessionId) }, NOW));
    expect(await stale(other)).toEqual([]);
    const refreshed = await teamWeeks(other);
    const orgWeeksRefreshed = await orgWeeks(other);
    const daysRefreshed = await teamDays(other);
    expect(daysRefreshed.filter((r) => r.teamId === '-abc')).toHaveLength(10);
    expect(orgWeeksRefreshed).toHaveLength(2);
    expect(refreshed.filter((r) => r.teamId === '-abc')).toHaveLength(2);
    await rebuildEvidence(fx.db, other, { now: NOW });
    expect(refreshed).toEqual(await teamWeeks(other));
    expect(orgWeeksRefreshed).toEqual(await orgWeeks(other));
    expect(daysRefreshed).toEqual(await teamDays(other));
  });

  it('a member change that commits while a reader rewrites its team is never lost', { timeout: 60_000 }, async () => {
    const org = 'org-tw-race';
    await insertOrg(org);
    await rebuildEvidence(fx.db, org, { now: NOW });
    // A first change, committed: team c is marked.
    await fx.db.forOrg(org, (tx) => tx.teamMember.delete({ where: { id: `${org}-c-cy` } }));
    expect(await stale(org)).toEqual(['c']);
    // A second change to team c, still open, while a reader takes the mark.
    let commit!: () => void;
    const open = new Promise<void>((resolve) => {
      commit = resolve;
    });
    let added!: () => void;
    const written = new Promise<void>((resolve) => {
      added = resolve;
    });
    const second = fx.db.forOrg(org, async (tx) => {
      await tx.teamMember.create({ data: { id: `${org}-c-dee`, orgId: org, teamId: `${org}-c`, membershipId: `${org}-m-dee` } });
      added();
      await open;
    });
    await written;
    let readerDone = false;
    const reader = fx.db
      .forOrg(org, (tx) => refreshStaleTeamWeeks(tx, org))
      .then((n) => {
        readerDone = true;
        return n;
      });
    // The reader waits for the open change instead of rewriting the team without it.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(readerDone).toBe(false);
    commit();
    await second;
    expect(await reader).toBe(1);
    expect(await stale(org)).toEqual([]);
    await expectTeamsRight(org);
    expect((await teamWeeks(org)).filter((r) => r.teamId === '-c')).toHaveLength(3); // dee's weeks
  });

  it("reads the members' own rows when a repository narrows a team", async () => {
    const teams = await teamsOf(orgId);
    const repositoryId = scoped(orgId, 'repo-2');
    const base = { orgId, from: '2026-03-04', to: '2026-03-29', repositoryId };
    const named = criteriaGroupsWithWeeksQuery({
      ...base,
      groups: teams.map((t) => ({ key: t.id, developers: t.developers, teamId: t.id })),
    });
    const plain = criteriaGroupsWithWeeksQuery({ ...base, groups: teams.map((t) => ({ key: t.id, developers: t.developers })) });
    expect(named.text).not.toContain('"TeamWeek"');
    expect(named.text).not.toContain('"TeamDay"');
    const got = (await owner.query<Row>(named.text, named.values)).rows;
    expect(rounded(got)).toEqual(rounded((await owner.query<Row>(plain.text, plain.values)).rows));
    const ab = got.find((r) => r.grp === `${orgId}-ab` && r.week === null)!;
    const facts = FACTS.filter((f) => ['ana', 'bo'].includes(f.developerId));
    const pure = criteria(facts, { from: base.from, to: base.to, timeZone: 'UTC', now: NOW, slaTarget: 0.9 }, 'repo-2');
    expect(criteriaFromTotals(ab, 0.9).completion).toEqual(pure.completion);
    expect(pure.completion.finished).toBeGreaterThan(0);
  });

  it("marks a team whose members change and rewrites it on the next read, in the tenant's own role", { timeout: 60_000 }, async () => {
    const org = 'org-tw-members';
    await insertOrg(org);
    await rebuildEvidence(fx.db, org, { now: NOW });
    const before = await teamWeeks(org);

    // Added, removed, moved between teams, a membership gone, a team gone: each through the app
    // role under RLS, as the product's own writes are.
    await fx.db.forOrg(org, (tx) =>
      tx.teamMember.create({ data: { id: `${org}-c-dee`, orgId: org, teamId: `${org}-c`, membershipId: `${org}-m-dee` } }),
    );
    expect(await stale(org)).toEqual(['c']);
    // A reader that finds the mark reads team c from its members' rows, the others' rollups are current.
    expect(await fx.db.forOrg(org, (tx) => teamRollupsCurrent(tx, org, [`${org}-c`, `${org}-ab`]))).toBe(false);
    expect(await fx.db.forOrg(org, (tx) => teamRollupsCurrent(tx, org, [`${org}-ab`]))).toBe(true);
    await fx.db.forOrg(org, (tx) => tx.teamMember.delete({ where: { id: `${org}-ab-bo` } }));
    await fx.db.forOrg(org, (tx) => tx.teamMember.update({ where: { id: `${org}-abc-ana` }, data: { teamId: `${org}-empty` } }));
    expect(await stale(org)).toEqual(['ab', 'abc', 'c', 'empty']);
    // Stale until read: what the teams were.
    expect(await teamWeeks(org)).toEqual(before);

    await fx.db.forOrg(org, (tx) => refreshStaleTeamWeeks(tx, org));
    expect(await stale(org)).toEqual([]);
    await expectTeamsRight(org);

    await fx.db.forOrg(org, (tx) => tx.membership.delete({ where: { id: `${org}-m-cy` } }));
    await fx.db.forOrg(org, (tx) => tx.team.delete({ where: { id: `${org}-ab` } }));
    // cy's teams are marked; the deleted team is not (its rows went with it).
    expect(await stale(org)).toEqual(['abc', 'c']);
    expect((await teamWeeks(org)).some((r) => r.teamId === '-ab')).toBe(false);
    expect(await fx.db.forOrg(org, (tx) => refreshStaleTeamWeeks(tx, org))).toBe(2);
    await expectTeamsRight(org);
    const rows = await teamWeeks(org);
    expect(rows.filter((r) => r.teamId === '-empty')).toHaveLength(5);
    expect(rows.filter((r) => r.teamId === '-c')).toHaveLength(3); // dee's weeks now
  });

  it("another org's member changes neither mark nor touch this org's teams, and its rows are not visible here", async () => {
    const a = 'org-tw-a';
    const b = 'org-tw-b';
    await insertOrg(a);
    await insertOrg(b);
    await rebuildEvidence(fx.db, a, { now: NOW });
    await rebuildEvidence(fx.db, b, { now: NOW });
    const aRows = await teamWeeks(a);
    await fx.db.forOrg(b, (tx) => tx.teamMember.delete({ where: { id: `${b}-ab-ana` } }));
    expect(await stale(a)).toEqual([]);
    expect(await stale(b)).toEqual(['ab']);
    // Org a's read refreshes nothing of b's, and sees none of b's rows.
    expect(await fx.db.forOrg(a, (tx) => refreshStaleTeamWeeks(tx, a))).toBe(0);
    expect(await stale(b)).toEqual(['ab']);
    const seen = await fx.db.forOrg(
      a,
      (tx) =>
        tx.$queryRaw<
          { n: number }[]
        >`SELECT (SELECT count(*) FROM "TeamWeek" WHERE "orgId" = ${b})::int + (SELECT count(*) FROM "OrgWeek" WHERE "orgId" = ${b})::int + (SELECT count(*) FROM "StaleTeamWeeks" WHERE "orgId" = ${b})::int AS n`,
    );
    expect(seen[0]!.n).toBe(0);
    // Org a cannot mark b's team stale or write its weeks either.
    await expect(
      fx.db.forOrg(a, (tx) => tx.$executeRaw`INSERT INTO "StaleTeamWeeks" ("orgId", "teamId") VALUES (${b}, ${`${b}-c`})`),
    ).rejects.toThrow();
    expect(await teamWeeks(a)).toEqual(aRows);
  });
});
