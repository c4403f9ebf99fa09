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
import { TRPCError } from '@trpc/server';
import type { AnyProcedure } from '@trpc/server';
import { useTestDatabase, type DatabaseFixture } from '@parallax/db/test-database';
import { createFleetEngine } from '@parallax/temporal/client';
import { useTestTemporal } from '@parallax/temporal/testing';
import { appRouter } from './root.ts';
import type { FleetEngine } from './trpc.ts';
import { callerFor as baseCallerFor, createOrgFixture, type OrgFixture } from './testing/fixtures.ts';

// The real fleet engine on the Temporal dev server (no worker: started sessions wait).
let fleet: FleetEngine;
const callerFor = (db: DatabaseFixture['db'], userId: string | null) => baseCallerFor(db, userId, { fleet });

/** Reviewed by hand: the only procedures reachable without a session. */
const PUBLIC_PROCEDURES = ['auth.signUp'];

const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, AnyProcedure>).sort(([a], [b]) =>
  a.localeCompare(b),
);

// ---------------------------------------------------------------- input generation from zod schemas

type ZodLike = { _zod: { def: Record<string, unknown> & { type: string } } };

function shapeOf(proc: AnyProcedure): Record<string, ZodLike> {
  const shape: Record<string, ZodLike> = {};
  for (const parser of proc._def.inputs as unknown as ZodLike[]) {
    const def = unwrap(parser)._zod.def;
    if (def.type === 'object') Object.assign(shape, def.shape as Record<string, ZodLike>);
  }
  return shape;
}

function unwrap(schema: ZodLike): ZodLike {
  const def = schema._zod.def;
  if (def.type === 'optional' || def.type === 'default' || def.type === 'nullable') return unwrap(def.innerType as ZodLike);
  if (def.type === 'pipe') return unwrap(def.in as ZodLike);
  return schema;
}

const isOptional = (schema: ZodLike) => ['optional', 'default'].includes(schema._zod.def.type);

/** Values that pass each field's validation; ids come from `ids` (another org's, in the attacks). */
function sampleInput(proc: AnyProcedure, orgId: string | undefined, ids: Record<string, string>): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(shapeOf(proc))) {
    if (key === 'orgId') {
      input.orgId = orgId;
      continue;
    }
    if (ids[key] !== undefined) {
      input[key] = ids[key];
      continue;
    }
    if (isOptional(field) && !(key in NAMED_SAMPLES)) continue;
    input[key] = sampleValue(key, unwrap(field));
  }
  return input;
}

const NAMED_SAMPLES: Record<string, unknown> = {
  name: 'Harness Name',
  password: 'correct horse battery staple',
  token: 'inv_not-a-real-token',
  role: 'DEVELOPER',
  scopes: ['sessions:read'],
  timeZone: 'UTC',
  url: 'https://example.test/harness.git',
  title: 'Harness task',
  prompt: JSON.stringify({ steps: [{ write: { path: 'harness.txt', content: 'x\n' } }] }),
  message: 'Harness correction',
  minutes: 30,
};

function sampleValue(key: string, schema: ZodLike): unknown {
  if (key === 'email') return `harness-${Math.random().toString(36).slice(2, 8)}@example.test`;
  if (key in NAMED_SAMPLES) return NAMED_SAMPLES[key];
  const def = schema._zod.def;
  switch (def.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [k, f] of Object.entries(def.shape as Record<string, ZodLike>)) {
        if (isOptional(f) && !(k in NAMED_SAMPLES)) continue;
        out[k] = sampleValue(k, unwrap(f));
      }
      return out;
    }
    case 'string':
      return 'harness-value';
    case 'number':
      return 1;
    case 'boolean':
      return true;
    case 'enum':
      return Object.values(def.entries as Record<string, string>)[0];
    case 'array':
      return [sampleValue(key, unwrap(def.element as ZodLike))];
    default:
      throw new Error(`isolation harness: no sample for field "${key}" of type ${def.type}; teach sampleValue`);
  }
}

async function call(
  caller: ReturnType<typeof callerFor>,
  path: string,
  input: unknown,
): Promise<{ ok: true; data: unknown } | { ok: false; code: string; message: string }> {
  let target: unknown = caller;
  for (const part of path.split('.')) target = (target as Record<string, unknown>)[part];
  try {
    return { ok: true, data: await (target as (i: unknown) => Promise<unknown>)(input) };
  } catch (error) {
    if (error instanceof TRPCError) return { ok: false, code: error.code, message: error.message };
    throw error;
  }
}

// ---------------------------------------------------------------- fixtures

let fx: DatabaseFixture;
let a: OrgFixture;
let b: OrgFixture;
let owner: pg.Client;

/** Every tenant row of org B, as text: compared before and after the attacks. */
async function snapshotOrg(orgId: string): Promise<string> {
  const { rows: tables } = await owner.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'orgId' ORDER BY table_name`,
  );
  const parts: string[] = [JSON.stringify((await owner.query(`SELECT * FROM "Organization" WHERE id = $1`, [orgId])).rows)];
  for (const { table_name } of tables) {
    const { rows } = await owner.query(`SELECT * FROM "${table_name}" WHERE "orgId" = $1 ORDER BY id`, [orgId]);
    parts.push(`${table_name}:${JSON.stringify(rows)}`);
  }
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

const idsOf = (o: OrgFixture) => ({
  membershipId: o.membershipId,
  teamId: o.teamId,
  inviteId: o.inviteId,
  tokenId: o.tokenId,
  userId: o.userId,
  scheduleId: o.scheduleId,
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
    const before = await snapshotOrg(b.orgId);
    const caller = callerFor(fx.db, a.userId);
    const orgScoped = procedures.filter(([, p]) => 'orgId' in shapeOf(p));
    expect(orgScoped.length).toBeGreaterThanOrEqual(15);
    const wrong: string[] = [];
    for (const [path, proc] of orgScoped) {
      const result = await call(caller, path, sampleInput(proc, b.orgId, idsOf(b)));
      if (result.ok || result.code !== 'FORBIDDEN') wrong.push(`${path}: ${result.ok ? 'succeeded' : result.code}`);
    }
    expect(wrong).toEqual([]);
    expect(await snapshotOrg(b.orgId)).toEqual(before);
  });

  it("answers NOT_FOUND or FORBIDDEN when org A's context points at org B's objects", async () => {
    const before = await snapshotOrg(b.orgId);
    const caller = callerFor(fx.db, a.userId);
    const ids = idsOf(b);
    const pointing = procedures.filter(([, p]) => Object.keys(shapeOf(p)).some((k) => k !== 'orgId' && k in ids));
    expect(pointing.length).toBeGreaterThanOrEqual(6);
    const wrong: string[] = [];
    for (const [path, proc] of pointing) {
      const result = await call(caller, path, sampleInput(proc, a.orgId, ids));
      if (result.ok || !['NOT_FOUND', 'FORBIDDEN'].includes(result.code))
        wrong.push(`${path}: ${result.ok ? 'succeeded' : `${result.code} ${result.message}`}`);
    }
    expect(wrong).toEqual([]);
    expect(await snapshotOrg(b.orgId)).toEqual(before);
  });

  it("never returns org B's identifiers to org A, whatever A calls in its own context", async () => {
    const before = await snapshotOrg(b.orgId);
    const caller = callerFor(fx.db, a.userId);
    const leaked: string[] = [];
    for (const [path, proc] of procedures) {
      const result = await call(caller, path, sampleInput(proc, a.orgId, idsOf(a)));
      if (result.ok && leaks(result.data, b).length) leaked.push(`${path}: ${leaks(result.data, b).join(', ')}`);
      if (!result.ok && result.code === 'INTERNAL_SERVER_ERROR') leaked.push(`${path}: 500 ${result.message}`);
    }
    expect(leaked).toEqual([]);
    expect(await snapshotOrg(b.orgId)).toEqual(before);
  });
});
