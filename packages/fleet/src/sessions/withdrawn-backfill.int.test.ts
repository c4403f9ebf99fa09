// An install that migrates to withdrawnByRequester keeps its history's meaning: the migration's
// backfill marks a session cancelled while queued as withdrawn exactly when its canceller is the
// invocation's actor, in every org, under each org's own RLS.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { migrationsDir } from '@parallax/db/migrate';
import { type DatabaseFixture, useTestDatabaseWithOwner } from '@parallax/db/test-database';
import type pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { addDeveloper, createFleetOrg } from '../../test/fixtures/org.ts';
import { refreshByClock } from '@parallax/evidence';
import { dispatchTask, endSession } from './index.ts';

let fx: DatabaseFixture;
let owner: pg.Client;
beforeAll(async () => {
  ({ owner, ...fx } = await useTestDatabaseWithOwner());
});

const MIGRATION = '20261207002704_session_withdrawn_by_requester';

async function dispatchAndCancel(org: Awaited<ReturnType<typeof createFleetOrg>>, cancelledById: string | null, whileQueued: boolean) {
  const { sessionId } = await dispatchTask(
    fx.db,
    { orgId: org.orgId, developerId: org.developerId, channel: 'WEB', actorUserId: org.developerId, rawPayload: {} },
    { repositoryId: org.repositoryId, title: 't', prompt: JSON.stringify({ steps: [{ write: { path: 't.txt', content: 't' } }] }) },
    async () => {},
  );
  await endSession(fx.db, { orgId: org.orgId, sessionId }, { status: 'CANCELLED', cancelledById, whileQueued });
  return sessionId;
}

const evidenceDays = (orgId: string) =>
  fx.db.forOrg(orgId, (tx) =>
    tx.evidenceDay.findMany({
      where: { orgId },
      select: { developerId: true, repositoryId: true, day: true, slaOpen: true, slaMissed: true, slaOpenUntil: true },
      orderBy: [{ developerId: 'asc' }, { day: 'asc' }],
    }),
  );

describe('the withdrawnByRequester backfill', () => {
  it('marks the sessions their asker cancelled while queued, in every org, and no other', async () => {
    const orgs = [await createFleetOrg(fx.db), await createFleetOrg(fx.db)];
    const expected = new Map<string, boolean>();
    for (const org of orgs) {
      const colleague = await addDeveloper(fx.db, org.orgId);
      expected.set(await dispatchAndCancel(org, org.developerId, true), true);
      expected.set(await dispatchAndCancel(org, colleague, true), false);
      expected.set(await dispatchAndCancel(org, null, true), false);
      expected.set(await dispatchAndCancel(org, org.developerId, false), false);
    }
    // As an install from before the column had it: every row false, then the migration's backfill.
    await owner.query(`ALTER TABLE "AgentSession" NO FORCE ROW LEVEL SECURITY`);
    await owner.query(`UPDATE "AgentSession" SET "withdrawnByRequester" = false`);
    await owner.query(`ALTER TABLE "AgentSession" FORCE ROW LEVEL SECURITY`);
    const sql = await readFile(path.join(migrationsDir, MIGRATION, 'migration.sql'), 'utf8');
    const start = sql.indexOf('-- Backfill');
    expect(start).toBeGreaterThan(0);
    await owner.query('BEGIN');
    await owner.query(sql.slice(start));
    await owner.query('COMMIT');
    for (const org of orgs) {
      const rows = await fx.db.forOrg(org.orgId, (tx) => tx.agentSession.findMany({ select: { id: true, withdrawnByRequester: true } }));
      expect(rows).toHaveLength(4);
      for (const r of rows) expect(r.withdrawnByRequester).toBe(expected.get(r.id));
    }
    // The days of the sessions now owed a PR are marked for a rewrite, and the next read does it.
    const marked = await owner.query<{ developerId: string }>(
      `SELECT "developerId" FROM "EvidenceDay" WHERE "slaOpenUntil" = timestamp '1970-01-01' ORDER BY 1`,
    );
    expect(marked.rows.map((r) => r.developerId)).toEqual(orgs.map((o) => o.developerId).sort());
    for (const org of orgs) {
      const before = await evidenceDays(org.orgId);
      await fx.db.forOrg(org.orgId, (tx) => refreshByClock(tx, org.orgId));
      const after = await evidenceDays(org.orgId);
      // Rewritten from the raw rows: the same as the rows endSession wrote under the rule, unmarked.
      expect(after.every((d) => d.slaOpenUntil === null || d.slaOpenUntil > new Date('2000-01-01'))).toBe(true);
      expect(after.map(({ slaOpenUntil: _, ...d }) => d)).toEqual(before.map(({ slaOpenUntil: _, ...d }) => d));
      // Three of the four owe a PR, their windows still open: all but the one its asker withdrew.
      expect(after.reduce((n, d) => n + d.slaOpen, 0)).toBe(3);
    }
    const forced = await owner.query(`SELECT relforcerowsecurity FROM pg_class WHERE relname IN ('Organization', 'AgentSession')`);
    expect(forced.rows.every((r) => r.relforcerowsecurity)).toBe(true);
  });
});
