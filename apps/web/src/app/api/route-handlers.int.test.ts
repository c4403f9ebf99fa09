// Tenant isolation and bad input at the route handlers (the tRPC procedures have their
// own harness in packages/api). Every route.ts under app/api is found on disk; one
// without a walk here fails the first test, so a new route cannot slip by. The
// handlers are called as Next calls them: their exported functions, with a Request.
import { createHmac } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { createOrgFixture, type OrgFixture } from '@parallax/api/testing';
import { useTestDatabase, type DatabaseFixture } from '@parallax/db/test-database';

const API_DIR = dirname(fileURLToPath(import.meta.url));

/** next-auth's own handler: its sign-in and session flows are tested end to end (apps/web/e2e). */
const NOT_WALKED = ['auth/[...nextauth]'];

/** Each route, by folder under app/api, and how this file walks it. */
const WALKED: Record<string, string> = {
  'v1/me': "org A's API token sees only A; bad and missing tokens are 401/400",
  'webhooks/github/[orgId]': "a delivery for org B not signed with B's secret is refused and changes nothing",
  health: 'answers and carries no tenant data',
  'trpc/[trpc]': 'adapts Next to handleTRPCRequest, walked in packages/api (trpc-http and the procedure harness)',
};

function routeFolders(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return routeFolders(path);
    return entry.name === 'route.ts' ? [relative(API_DIR, dir).split(sep).join('/')] : [];
  });
}

let fx: DatabaseFixture;
let a: OrgFixture;
let b: OrgFixture;
let owner: pg.Client;

/** Org B's rows, as text, before and after the attacks. */
async function snapshotOrg(orgId: string): Promise<string> {
  const { rows: tables } = await owner.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'orgId' ORDER BY table_name`,
  );
  const parts: string[] = [];
  for (const { table_name } of tables) {
    const { rows } = await owner.query(`SELECT * FROM "${table_name}" WHERE "orgId" = $1 ORDER BY id`, [orgId]);
    parts.push(`${table_name}:${JSON.stringify(rows)}`);
  }
  return parts.join('\n');
}

/** What a response must never carry: another org's identifiers, or our internals. */
function problemsOf(text: string, victim: OrgFixture): string[] {
  const leaked = victim.secrets.filter((s) => text.includes(s)).map((s) => `leaks ${s}`);
  const internals = /prisma|invocation|SQLSTATE|\bP\d{4}\b|\.ts:\d+|at [\w.]+ \(/i.test(text) ? ['carries internals'] : [];
  return [...leaked, ...internals];
}

beforeAll(async () => {
  fx = await useTestDatabase();
  // The route handlers open their pool from the environment, as in production.
  process.env.DATABASE_URL = fx.appUrl;
  owner = new pg.Client({ connectionString: fx.ownerUrl });
  await owner.connect();
  a = await createOrgFixture(fx.db, 'a');
  b = await createOrgFixture(fx.db, 'b');
});

afterAll(async () => {
  await owner.end();
  await (globalThis as unknown as { parallaxDb?: { disconnect(): Promise<void> } }).parallaxDb?.disconnect();
});

describe('route handlers under app/api', () => {
  it('walks every route handler (next-auth aside)', () => {
    expect(
      routeFolders(API_DIR)
        .filter((r) => !NOT_WALKED.includes(r))
        .sort(),
    ).toEqual(Object.keys(WALKED).sort());
  });

  it("/api/v1/me answers org A's token with A only, and refuses bad tokens without a 500", async () => {
    const { GET } = await import('./v1/me/route.ts');
    const me = (authorization?: string) =>
      GET(new Request('http://parallax.test/api/v1/me', { headers: authorization ? { authorization } : {} }));
    const mine = await me(`Bearer ${a.apiToken}`);
    expect(mine.status).toBe(200);
    const text = await mine.text();
    expect(JSON.parse(text)).toMatchObject({ user: { id: a.userId }, org: { id: a.orgId } });
    expect(problemsOf(text, b)).toEqual([]);

    const refusals = await Promise.all(
      [
        undefined,
        'Basic abc',
        `Bearer ${b.tokenId}`,
        `Bearer plx_${'x'.repeat(300)}`,
        `Bearer ${a.apiToken}x`,
        'Bearer plx_\u00e9\u00ff',
      ].map(async (h) => {
        const res = await me(h);
        return { status: res.status, problems: problemsOf(await res.text(), b) };
      }),
    );
    for (const r of refusals) {
      expect([400, 401]).toContain(r.status);
      expect(r.problems).toEqual([]);
    }
  });

  it("/api/v1/me refuses org A's token once it is revoked", async () => {
    const { GET } = await import('./v1/me/route.ts');
    const extra = await createOrgFixture(fx.db, 'revoked');
    await fx.db.forOrg(extra.orgId, (tx) => tx.apiToken.update({ where: { id: extra.tokenId }, data: { revokedAt: new Date() } }));
    const res = await GET(new Request('http://parallax.test/api/v1/me', { headers: { authorization: `Bearer ${extra.apiToken}` } }));
    expect(res.status).toBe(401);
  });

  it("/api/webhooks/github/<orgId> refuses deliveries for org B that org A could forge, and B's rows stay as they were", async () => {
    const { POST } = await import('./webhooks/github/[orgId]/route.ts');
    // Configured, so the signature is what decides (unconfigured, every delivery is a 503).
    process.env.GITHUB_WEBHOOK_SECRET = 'the-server-secret-nobody-in-org-a-knows';
    const before = await snapshotOrg(b.orgId);
    const body = JSON.stringify({
      action: 'closed',
      number: 1,
      pull_request: { number: 1, merged: true, state: 'closed' },
      repository: { full_name: 'b/b' },
    });
    // Signed with what A holds (its own API token), or not at all; for B's org id, and for ids that are not ids.
    const signature = `sha256=${createHmac('sha256', a.apiToken).update(body).digest('hex')}`;
    const attempts = [
      { orgId: b.orgId, signature },
      { orgId: b.orgId, signature: null },
      { orgId: `${b.orgId}\u0000`, signature },
      { orgId: 'x'.repeat(10_000), signature },
    ];
    for (const { orgId, signature: sig } of attempts) {
      const headers: Record<string, string> = { 'content-type': 'application/json', 'x-github-event': 'pull_request' };
      if (sig) headers['x-hub-signature-256'] = sig;
      const res = await POST(
        new Request(`http://parallax.test/api/webhooks/github/${encodeURIComponent(orgId)}`, { method: 'POST', headers, body }),
        {
          params: Promise.resolve({ orgId }),
        },
      );
      expect([401, 403, 404, 503], `status for ${JSON.stringify(orgId.slice(0, 40))}`).toContain(res.status);
      expect(problemsOf(await res.text(), b)).toEqual([]);
    }
    expect(await snapshotOrg(b.orgId)).toEqual(before);
  });

  it('/api/webhooks/github/<orgId> answers a signed delivery carrying a NUL with 400, not a database error', async () => {
    const { POST } = await import('./webhooks/github/[orgId]/route.ts');
    const secret = 'the-server-secret-nobody-in-org-a-knows';
    process.env.GITHUB_WEBHOOK_SECRET = secret;
    const body = JSON.stringify({
      action: 'closed',
      number: 7,
      pull_request: {
        number: 7,
        html_url: 'https://github.com/octo/repo/pull/7',
        state: 'closed',
        created_at: '2026-12-01T08:00:00Z',
        merged: false,
        head: { ref: 'h', sha: 'a'.repeat(40) },
        base: { ref: 'main' },
      },
      repository: { full_name: 'octo/re\u0000po' },
    });
    const headers = {
      'content-type': 'application/json',
      'x-github-event': 'pull_request',
      'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
    };
    const res = await POST(new Request(`http://parallax.test/api/webhooks/github/${a.orgId}`, { method: 'POST', headers, body }), {
      params: Promise.resolve({ orgId: a.orgId }),
    });
    const text = await res.text();
    expect(res.status, text).toBe(400);
    expect(text).toMatch(/NUL/);
    expect(problemsOf(text, b)).toEqual([]);
  });

  it('/api/health answers ok and carries no tenant data', async () => {
    const { GET } = await import('./health/route.ts');
    const res = await GET();
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });

  it('/api/trpc hands every request to handleTRPCRequest, where the limits and the error shape live', () => {
    const source = readFileSync(join(API_DIR, 'trpc/[trpc]/route.ts'), 'utf8');
    expect(source).toMatch(/handleTRPCRequest\(req,/);
    expect(source).not.toMatch(/fetchRequestHandler/);
  });
});
