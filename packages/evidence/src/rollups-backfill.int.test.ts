// An install that migrates to the org-day rollups keeps its history without a rebuild: the
// migration's backfill fills the org days and writes the weeks again from the daily rows, and
// they equal what the product's own refresh writes (the daily rows summed in JS, readWeeks).
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

async function backfill(): Promise<string> {
  const sql = await readFile(path.join(migrationsDir, '20261201191931_evidence_org_days', 'migration.sql'), 'utf8');
  const from = sql.indexOf('-- Backfill.');
  const to = sql.indexOf('-- Row-Level Security: the org-day rollups');
  expect(from).toBeGreaterThan(0);
  expect(to).toBeGreaterThan(from);
  return sql.slice(from, to);
}

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
      await rebuildEvidence(fx.db, orgId, { now });
    }
    const before = await readWeeks(owner, 'org-backfill-a');
    expect(before.got.orgDay.length).toBeGreaterThan(1);
    expect(before.got.developer.length).toBeGreaterThan(1);
    // An install from before: no org days, and weeks missing or stale.
    await owner.query(`TRUNCATE "EvidenceOrgDay", "ChannelOrgDay", "DeveloperWeek"`);
    await owner.query(`UPDATE "EvidenceWeek" SET finished = finished + 100`);
    await owner.query(`DELETE FROM "ChannelWeek" WHERE "orgId" = 'org-backfill-b'`);
    await owner.query(await backfill());
    for (const orgId of ['org-backfill-a', 'org-backfill-b']) {
      const { got, want } = await readWeeks(owner, orgId);
      expect(got).toEqual(want);
    }
    expect((await readWeeks(owner, 'org-backfill-a')).got).toEqual(before.got);
    // The daily tables force RLS on their owner again afterwards.
    const { rows } = await owner.query(
      `SELECT relname, relforcerowsecurity AS forced FROM pg_class WHERE relname IN ('EvidenceDay', 'ChannelDay', 'ConcurrencyDay', 'EvidenceWeek', 'ChannelWeek', 'DeveloperWeek') ORDER BY relname`,
    );
    expect(rows.every((r) => r.forced)).toBe(true);
    expect(rows).toHaveLength(6);
  });
});
