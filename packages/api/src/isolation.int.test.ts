// The tenant-isolation harness. It walks every procedure of the app router, so a
// procedure added later is covered without editing this file:
//  - with no session, every non-public procedure answers UNAUTHORIZED;
//  - a member of org A naming org B gets FORBIDDEN;
//  - a member of org A naming org A but pointing at org B's objects gets NOT_FOUND
//    or FORBIDDEN;
//  - whatever succeeds for A never returns one of B's identifiers;
//  - and nothing of B changes, whatever A calls.
import { describe, it, expect, beforeAll } from 'vitest';
import pg from 'pg';
import { useTestDatabase, type DatabaseFixture } from '@parallax/db/test-database';
import { createFleetEngine } from '@parallax/temporal/client';
import { useTestTemporal } from '@parallax/temporal/testing';
import type { FleetEngine } from './trpc.ts';
import { callerFor as baseCallerFor, createOrgFixture, idsOf, type OrgFixture } from './testing/fixtures.ts';
import { call, idFieldsOf, procedures, sampleInput, shapeOf } from './testing/procedures.ts';

// The real fleet engine on the Temporal dev server (no worker: started sessions wait).
let fleet: FleetEngine;
const callerFor = (db: DatabaseFixture['db'], userId: string | null) => baseCallerFor(db, userId, { fleet });

/** Reviewed by hand: the only procedures reachable without a session. */
const PUBLIC_PROCEDURES = ['auth.signUp'];

/**
 * Reviewed by hand: `…Id` fields that name no object of ours, so there is nothing of
 * org B's to point them at. Any other `…Id` without a sample fails the harness.
 */
const NOT_OBJECT_IDS: Record<string, string> = {
  githubInstallationId: "GitHub's own number for an App installation; GitHub checks it, not us",
  batchId: 'a free label the dispatcher picks to group sessions; no row behind it',
};

// ---------------------------------------------------------------- fixtures

let fx: DatabaseFixture;
let a: OrgFixture;
let b: OrgFixture;
let owner: pg.Client;

/** Every tenant row of org B and its owner's browser sessions, as text: compared before and after the attacks. */
async function snapshotOrg(victim: OrgFixture): Promise<string> {
  const orgId = victim.orgId;
  const { rows: tables } = await owner.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'orgId' ORDER BY table_name`,
  );
  const parts: string[] = [JSON.stringify((await owner.query(`SELECT * FROM "Organization" WHERE id = $1`, [orgId])).rows)];
  for (const { table_name } of tables) {
    // Rollup tables have no id: order every table by its whole row.
    const { rows } = await owner.query(`SELECT * FROM "${table_name}" t WHERE "orgId" = $1 ORDER BY t::text`, [orgId]);
    parts.push(`${table_name}:${JSON.stringify(rows)}`);
  }
  // Sessions belong to the person, not the org (no orgId): B's owner's, by user.
  const { rows: sessions } = await owner.query(`SELECT * FROM "Session" WHERE "userId" = $1 ORDER BY id`, [victim.userId]);
  parts.push(`Session:${JSON.stringify(sessions)}`);
  return parts.join('\n');
}

function leaks(data: unknown, victim: OrgFixture): string[] {
  const text = JSON.stringify(data ?? null);
  return victim.secrets.filter((s) => text.includes(s));
}

beforeAll(async () => {
  fx = await useTestDatabase();
  fleet = createFleetEngine((await useTestTemporal()).env.client);
  owner = new pg.Client({ connectionString: fx.ownerUrl });
  await owner.connect();
  a = await createOrgFixture(fx.db, 'a', (args) => fleet.startSession(args));
  b = await createOrgFixture(fx.db, 'b', (args) => fleet.startSession(args));
  return () => owner.end();
});

describe('tenant isolation of every tRPC procedure', () => {
  it('finds the procedures to check', () => {
    expect(procedures.length).toBeGreaterThanOrEqual(20);
  });

  it('marks exactly the reviewed procedures public', () => {
    const isPublic = procedures.filter(([, p]) => (p._def.meta as { isPublic?: boolean } | undefined)?.isPublic).map(([path]) => path);
    expect(isPublic).toEqual(PUBLIC_PROCEDURES);
  });

  it('answers UNAUTHORIZED to a caller with no session', async () => {
    const anonymous = callerFor(fx.db, null);
    const wrong: string[] = [];
    for (const [path, proc] of procedures) {
      if (PUBLIC_PROCEDURES.includes(path)) continue;
      const result = await call(anonymous, path, sampleInput(proc, b.orgId, idsOf(b)));
      if (result.ok || result.code !== 'UNAUTHORIZED') wrong.push(`${path}: ${result.ok ? 'succeeded' : result.code}`);
    }
    expect(wrong).toEqual([]);
  });

  it('answers FORBIDDEN to a member of org A naming org B', async () => {
    const before = await snapshotOrg(b);
    const caller = callerFor(fx.db, a.userId);
    const orgScoped = procedures.filter(([, p]) => 'orgId' in shapeOf(p));
    expect(orgScoped.length).toBeGreaterThanOrEqual(15);
    const wrong: string[] = [];
    for (const [path, proc] of orgScoped) {
      const result = await call(caller, path, sampleInput(proc, b.orgId, idsOf(b)));
      if (result.ok || result.code !== 'FORBIDDEN') wrong.push(`${path}: ${result.ok ? 'succeeded' : result.code}`);
    }
    expect(wrong).toEqual([]);
    expect(await snapshotOrg(b)).toEqual(before);
  });

  it('has a sample of org B for every `…Id` any procedure takes, at any depth', () => {
    const ids = idsOf(b);
    const unsampled = procedures.flatMap(([path, proc]) =>
      idFieldsOf(proc)
        .map((f) => String(f.path[f.path.length - 1]))
        .filter((key) => !(key in ids) && !(key in NOT_OBJECT_IDS))
        .map((key) => `${path}: ${key}`),
    );
    // A new kind of id: add it to the fixture and to idsOf, so the attacks below try it.
    expect(unsampled).toEqual([]);
    // And the reviewed exceptions are still fields of some procedure (the list does not rot).
    const taken = new Set(procedures.flatMap(([, proc]) => idFieldsOf(proc).map((f) => String(f.path[f.path.length - 1]))));
    expect(Object.keys(NOT_OBJECT_IDS).filter((key) => !taken.has(key))).toEqual([]);
  });

  it("answers NOT_FOUND or FORBIDDEN when org A's context points at org B's objects, one kind of id at a time", async () => {
    const before = await snapshotOrg(b);
    const caller = callerFor(fx.db, a.userId);
    const theirs = idsOf(b);
    const wrong: string[] = [];
    const tried = new Set<string>();
    for (const [path, proc] of procedures) {
      const keys = [...new Set(idFieldsOf(proc).map((f) => String(f.path[f.path.length - 1])))].filter((k) => k in theirs);
      // Each of B's ids alone among A's own: a check on one id cannot hide a missing check on another.
      for (const key of keys) {
        tried.add(key);
        const result = await call(caller, path, sampleInput(proc, a.orgId, { ...idsOf(a), [key]: theirs[key] as string }));
        if (result.ok || !['NOT_FOUND', 'FORBIDDEN'].includes(result.code))
          wrong.push(`${path} with B's ${key}: ${result.ok ? 'succeeded' : `${result.code} ${result.message}`}`);
      }
    }
    expect(wrong).toEqual([]);
    expect([...tried].sort()).toEqual(
      [
        'agentProfileId',
        'browserSessionId',
        'developerId',
        'inviteId',
        'membershipId',
        'repositoryId',
        'scheduleId',
        'retryOfSessionId',
        'sessionId',
        'teamId',
        'tokenId',
      ].sort(),
    );
    expect(await snapshotOrg(b)).toEqual(before);
  });

  it("never returns org B's identifiers to org A, whatever A calls in its own context", async () => {
    const before = await snapshotOrg(b);
    const caller = callerFor(fx.db, a.userId);
    const leaked: string[] = [];
    for (const [path, proc] of procedures) {
      const result = await call(caller, path, sampleInput(proc, a.orgId, idsOf(a)));
      if (result.ok && leaks(result.data, b).length) leaked.push(`${path}: ${leaks(result.data, b).join(', ')}`);
      if (!result.ok && result.code === 'INTERNAL_SERVER_ERROR') leaked.push(`${path}: 500 ${result.message}`);
    }
    expect(leaked).toEqual([]);
    expect(await snapshotOrg(b)).toEqual(before);
  });
});
