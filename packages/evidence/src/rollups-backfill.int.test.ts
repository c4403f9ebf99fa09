// An install that migrates to the org-day rollups keeps its history without a rebuild: the
// migration's backfill fills the org days and writes the weeks again from the daily rows, the
// later ones the org's weekly counts and the running sums, and they equal what the product's own
// refresh writes (the daily rows summed in JS, readWeeks).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { migrationsDir } from '@parallax/db/migrate';
import { useTestDatabaseWithOwner, type DatabaseFixture } from '@parallax/db/test-database';
import fc from 'fast-check';
import type pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { rebuildEvidence } from './rollups.ts';
import { factsOf, historyArb } from './testing/generated.ts';
import { insertHistory, readWeeks } from './testing/history.ts';

let fx: DatabaseFixture;
let owner: pg.Client;
beforeAll(async () => {
  ({ owner, ...fx } = await useTestDatabaseWithOwner());
});

/** A migration's backfill: its text from the `from` marker to the `to` marker (or its end). */
async function backfill(migration: string, from: string, to?: string): Promise<string> {
  const sql = await readFile(path.join(migrationsDir, migration, 'migration.sql'), 'utf8');
  const start = sql.indexOf(from);
  const end = to ? sql.indexOf(to) : sql.length;
  expect(start).toBeGreaterThan(0);
  expect(end).toBeGreaterThan(start);
  return sql.slice(start, end);
}

/** The backfills an install from before the org days runs, in the order it migrates. */
const BACKFILLS = [
  ['20261201191931_evidence_org_days', '-- Backfill.', '-- Row-Level Security: the org-day rollups'],
  ['20261202001932_team_weeks', '-- Backfill every org'],
  ['20261202004516_developer_week_cumulative', '-- Backfill the running sums'],
  ['20261202005928_team_days', "-- Backfill every org's team days"],
  ['20261207044545_org_week_channels', '-- The weeks already rolled up'],
  ['20261207070340_developer_week_running_sums', '-- Backfill the running sums'],
] as const;

/** Every team's weekly and daily rows, as written (both orgs). */
const teamRollups = async () => ({
  weeks: (
    await owner.query(
      `SELECT "teamId", to_char(week, 'YYYY-MM-DD') AS week, finished, unassisted, "prsMerged", channels::text[] AS channels, "activeDevelopers", "meetingParallel" FROM "TeamWeek" ORDER BY 1, 2`,
    )
  ).rows,
  days: (
    await owner.query(
      `SELECT "teamId", to_char(day, 'YYYY-MM-DD') AS day, finished, unassisted, "slaWithin", "prsMerged", channels::text[] AS channels FROM "TeamDay" ORDER BY 1, 2`,
    )
  ).rows,
});

const orgWeeks = async (orgId: string) =>
  (
    await owner.query(
      `SELECT to_char(week, 'YYYY-MM-DD') AS week, "activeDevelopers", "meetingParallel", channels::text[] AS channels FROM "OrgWeek" WHERE "orgId" = $1 ORDER BY week`,
      [orgId],
    )
  ).rows;

describe('the org-day migration', () => {
  it('fills the org days and the weeks from the daily rows an install already has', async () => {
    // Two orgs' generated histories (a fixed seed: the same every run), rolled up by the product.
    const histories = fc
      .sample(historyArb, { seed: 20261201, numRuns: 6 })
      .sort((a, b) => b.sessions.length - a.sessions.length)
      .slice(0, 2);
    for (const [k, h] of histories.entries()) {
      const orgId = `org-backfill-${'ab'[k]}`;
      const { facts, now } = factsOf(h, { batchesKeepDeveloper: true });
      await insertHistory(owner, { orgId, timeZone: h.zone, facts });
      // One team of every developer but the last, for the team rollups.
      const developers = [...new Set(facts.map((f) => f.developerId))].sort();
      await owner.query(`INSERT INTO "Team" (id, "orgId", name, slug) VALUES ($1, $2, 't', 't')`, [`${orgId}-t`, orgId]);
      for (const dev of developers.slice(0, Math.max(1, developers.length - 1))) {
        await owner.query(
          `INSERT INTO "User" (id, email, "updatedAt") VALUES ($1, $1 || '@example.test', now()) ON CONFLICT (id) DO NOTHING`,
          [dev],
        );
        await owner.query(`INSERT INTO "Membership" (id, "orgId", "userId", role) VALUES ($1, $2, $3, 'DEVELOPER')`, [
          `${orgId}-m-${dev}`,
          orgId,
          dev,
        ]);
        await owner.query(`INSERT INTO "TeamMember" (id, "orgId", "teamId", "membershipId") VALUES ($1, $2, $3, $4)`, [
          `${orgId}-tm-${dev}`,
          orgId,
          `${orgId}-t`,
          `${orgId}-m-${dev}`,
        ]);
      }
      await rebuildEvidence(fx.db, orgId, { now });
    }
    const before = await readWeeks(owner, 'org-backfill-a');
    const orgWeeksBefore = await orgWeeks('org-backfill-a');
    expect(orgWeeksBefore.some((w) => w.activeDevelopers > 0)).toBe(true);
    expect(orgWeeksBefore.some((w) => w.channels.length > 0)).toBe(true);
    const teamsBefore = await teamRollups();
    expect(teamsBefore.weeks.length).toBeGreaterThan(0);
    expect(teamsBefore.days.length).toBeGreaterThan(0);
    expect(before.got.orgDay.length).toBeGreaterThan(1);
    expect(before.got.developer.length).toBeGreaterThan(1);
    // An install from before: no org days, and weeks missing or stale.
    await owner.query(`TRUNCATE "EvidenceOrgDay", "ChannelOrgDay", "DeveloperWeek", "OrgWeek", "TeamWeek", "TeamDay"`);
    await owner.query(`UPDATE "EvidenceWeek" SET finished = finished + 100`);
    await owner.query(`DELETE FROM "ChannelWeek" WHERE "orgId" = 'org-backfill-b'`);
    for (const [migration, from, to] of BACKFILLS) await owner.query(await backfill(migration, from, to));
    for (const orgId of ['org-backfill-a', 'org-backfill-b']) {
      const { got, want } = await readWeeks(owner, orgId);
      expect(got).toEqual(want);
    }
    expect((await readWeeks(owner, 'org-backfill-a')).got).toEqual(before.got);
    expect(await orgWeeks('org-backfill-a')).toEqual(orgWeeksBefore);
    // b's weekly channels were lost and written again from its org days: OrgWeek's follow them.
    const bWeeks = await orgWeeks('org-backfill-b');
    const { rows: bChannels } = await owner.query(
      `SELECT to_char(week, 'YYYY-MM-DD') AS week, array_agg(DISTINCT channel ORDER BY channel)::text[] AS channels FROM "ChannelWeek" WHERE "orgId" = 'org-backfill-b' GROUP BY week ORDER BY week`,
    );
    expect(bChannels.length).toBeGreaterThan(0);
    for (const { week, channels } of bChannels) expect(bWeeks.find((w) => w.week === week)?.channels).toEqual(channels);
    expect(await teamRollups()).toEqual(teamsBefore);
    // The tables the backfills read and write force RLS on their owner again afterwards.
    const { rows } = await owner.query(
      `SELECT relname, relforcerowsecurity AS forced FROM pg_class WHERE relname IN ('EvidenceDay', 'ChannelDay', 'ConcurrencyDay', 'EvidenceWeek', 'ChannelWeek', 'DeveloperWeek', 'TeamWeek', 'TeamDay', 'OrgWeek', 'Membership', 'TeamMember', 'Organization') ORDER BY relname`,
    );
    expect(rows.every((r) => r.forced)).toBe(true);
    expect(rows).toHaveLength(12);
  });
});
