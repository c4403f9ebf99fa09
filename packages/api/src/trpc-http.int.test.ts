// The tRPC endpoint over real HTTP semantics (Web Request in, Response out), as the
// web route serves it: limits before parsing, errors that carry no internals.
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import SuperJSON from 'superjson';
import { createDatabase } from '@parallax/db';
import { useTestDatabase, type DatabaseFixture } from '@parallax/db/test-database';
import { INTERNAL_ERROR_MESSAGE } from './errors.ts';
import { MAX_BATCH_CALLS, MAX_TRPC_BODY_BYTES } from './limits.ts';
import { createOrgFixture, unreachableFleet, unreachableProvisioner, type OrgFixture } from './testing/fixtures.ts';
import { createContext } from './trpc.ts';
import { handleTRPCRequest } from './trpc-http.ts';

let fx: DatabaseFixture;
let a: OrgFixture;
let b: OrgFixture;

beforeAll(async () => {
  fx = await useTestDatabase();
  a = await createOrgFixture(fx.db, 'a');
  b = await createOrgFixture(fx.db, 'b');
});

afterEach(() => vi.restoreAllMocks());

const BASE = 'http://parallax.test/api/trpc';

function serve(req: Request, userId: string | null, db = fx.db) {
  return handleTRPCRequest(req, {
    endpoint: '/api/trpc',
    createContext: () =>
      createContext({ auth: userId ? { userId } : null, db, provisioner: unreachableProvisioner, fleet: unreachableFleet, ip: '10.0.0.1' }),
  });
}

/** A batch of mutations, as httpBatchLink sends it. */
function batchPost(paths: string[], inputs: unknown[]) {
  const body = Object.fromEntries(inputs.map((input, i) => [i, SuperJSON.serialize(input)]));
  return new Request(`${BASE}/${paths.join(',')}?batch=1`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

function query(path: string, input: unknown) {
  return new Request(`${BASE}/${path}?input=${encodeURIComponent(JSON.stringify(SuperJSON.serialize(input)))}`);
}

/** The error envelope of a single call or of a whole refused batch. */
async function errorOf(res: Response) {
  const json = (await res.json()) as { error: { json: { message: string; data: Record<string, unknown> } } };
  return json.error.json;
}

const teamCount = (orgId: string) => fx.db.forOrg(orgId, (tx) => tx.team.count());

describe('tRPC over HTTP', () => {
  it("answers a member of org A naming org B with 403 and nothing of B's", async () => {
    const res = await serve(query('team.list', { orgId: b.orgId }), a.userId);
    expect(res.status).toBe(403);
    const text = await res.text();
    expect(b.secrets.filter((s) => text.includes(s))).toEqual([]);
  });

  it(`refuses a batch of ${MAX_BATCH_CALLS + 1} creations with 400 saying the limit, and runs none of them`, async () => {
    const before = await teamCount(a.orgId);
    const n = MAX_BATCH_CALLS + 1;
    const res = await serve(
      batchPost(
        Array.from({ length: n }, () => 'team.create'),
        Array.from({ length: n }, (_, i) => ({ orgId: a.orgId, name: `Batch ${i}` })),
      ),
      a.userId,
    );
    expect(res.status).toBe(400);
    expect((await errorOf(res)).message).toMatch(`at most ${MAX_BATCH_CALLS} calls; this one has ${n}`);
    expect(await teamCount(a.orgId)).toBe(before);
  });

  it(`runs a batch of exactly ${MAX_BATCH_CALLS}`, async () => {
    const before = await teamCount(a.orgId);
    const res = await serve(
      batchPost(
        Array.from({ length: MAX_BATCH_CALLS }, () => 'team.create'),
        Array.from({ length: MAX_BATCH_CALLS }, (_, i) => ({ orgId: a.orgId, name: `Allowed ${i}` })),
      ),
      a.userId,
    );
    expect(res.status).toBe(200);
    expect(await teamCount(a.orgId)).toBe(before + MAX_BATCH_CALLS);
  });

  it('refuses a body that declares more than the limit with 413, before reading it', async () => {
    const res = await serve(
      new Request(`${BASE}/team.create`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': String(MAX_TRPC_BODY_BYTES + 1) },
        body: 'x'.repeat(MAX_TRPC_BODY_BYTES + 1),
      }),
      a.userId,
    );
    expect(res.status).toBe(413);
    expect((await errorOf(res)).message).toBe('The request body is over the limit of 1.0 MiB.');
  });

  it('stops reading a streamed body without a length at the limit, with 413', async () => {
    let pulled = 0;
    const chunk = new Uint8Array(64 * 1024).fill(0x20);
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const res = await serve(
      new Request(`${BASE}/team.create`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: stream,
        duplex: 'half',
      } as RequestInit),
      a.userId,
    );
    expect(res.status).toBe(413);
    // An endless body: read to just past the limit, then dropped.
    expect(pulled).toBeLessThan(MAX_TRPC_BODY_BYTES + 4 * chunk.byteLength);
  });

  it('answers a NUL byte with 400 naming the field, for a form to show next to it', async () => {
    const res = await serve(batchPost(['team.create'], [{ orgId: a.orgId, name: 'nul\u0000team' }]), a.userId);
    expect(res.status).toBe(400);
    const [result] = (await res.json()) as {
      error: { json: { message: string; data: { zodError: { fieldErrors: Record<string, string[]> } } } };
    }[];
    expect(result?.error.json.message).toMatch(/^name: The text contains a NUL/);
    expect(Object.keys(result?.error.json.data.zodError.fieldErrors ?? {})).toEqual(['name']);
  });

  it('answers a nested field error with its full path (settings.name)', async () => {
    const res = await serve(
      batchPost(['agentProfile.create'], [{ orgId: a.orgId, settings: { name: 'x'.repeat(61), adapter: 'CLAUDE_CODE' } }]),
      a.userId,
    );
    const [result] = (await res.json()) as { error: { json: { data: { zodError: { fieldErrors: Record<string, string[]> } } } } }[];
    expect(Object.keys(result?.error.json.data.zodError.fieldErrors ?? {})).toEqual(['settings.name']);
  });

  it("answers a database failure with a generic 500: no Prisma text, no database code, no stack; the server's log has it", async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    // A real failure: the database named here does not exist.
    const broken = createDatabase(fx.appUrl.replace(/\/([^/?]+)(\?|$)/, '/no_such_database_here$2'), { maxConnections: 1 });
    try {
      const res = await serve(query('team.list', { orgId: a.orgId }), a.userId, broken);
      expect(res.status).toBe(500);
      const text = await res.text();
      expect((JSON.parse(text) as { error: { json: { message: string } } }).error.json.message).toBe(INTERNAL_ERROR_MESSAGE);
      expect(text).not.toMatch(/prisma|invocation|no_such_database|P\d{4}|stack|\.ts:\d+|SQLSTATE|database/i);
      expect(logged).toHaveBeenCalled();
      expect(String(logged.mock.calls.flat().map((x) => (x instanceof Error ? x.message : x)))).toMatch(
        /no_such_database_here|does not exist/,
      );
    } finally {
      await broken.disconnect();
    }
  });
});
