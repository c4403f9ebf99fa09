import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type DatabaseFixture, useTestDatabase } from '@parallax/db/test-database';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createOrgWithRepository,
  createOriginRepo,
  gitIn,
  queryOnce,
  sessionSchemas,
  useTempDir,
} from '../../test/fixtures/workspace/index.ts';
import { prepareWorkspace } from './index.ts';

let fx: DatabaseFixture;
const tmp = useTempDir();
const dirs = { workspacesDir: path.join(tmp, 'workspaces'), mirrorsDir: path.join(tmp, 'mirrors') };

beforeAll(async () => {
  fx = await useTestDatabase();
});

/** An origin on disk, its org and repository rows, and a prepare bound to them. */
async function setUp(settings: { createsSchema?: boolean; byUrl?: boolean } = {}) {
  const origin = await createOriginRepo(tmp);
  const org = await createOrgWithRepository(fx.db, {
    ...(settings.byUrl ? { url: origin.url } : { localPath: origin.path }),
    createsSchema: settings.createsSchema ?? false,
  });
  const prepare = (session: { id: string; orgId: string }) =>
    prepareWorkspace({ db: fx.db, session, repository: org.repository, ...dirs, schemaDatabaseUrl: fx.ownerUrl });
  return { origin, org, prepare };
}

const readEnv = async (worktreePath: string) =>
  Object.fromEntries(
    (await readFile(path.join(worktreePath, '.env.local'), 'utf8'))
      .split('\n')
      .filter((line) => line.includes('=') && !line.startsWith('#'))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );

describe('prepareWorkspace', () => {
  it('gives two sessions on one repository at once their own worktree, branch, ports and schema', async () => {
    const { org, prepare } = await setUp({ createsSchema: true });
    const [a, b] = await Promise.all([org.createSession(), org.createSession()]);
    const [wa, wb] = await Promise.all([prepare(a), prepare(b)]);

    expect(wa.worktreePath).not.toBe(wb.worktreePath);
    expect([wa.branch, wb.branch]).toEqual([`parallax/${a.id}`, `parallax/${b.id}`]);
    expect(wa.ports.end < wb.ports.start || wb.ports.end < wa.ports.start).toBe(true);
    expect(wa.dbSchema).not.toBe(wb.dbSchema);
    expect(await sessionSchemas(fx.ownerUrl)).toEqual(expect.arrayContaining([wa.dbSchema, wb.dbSchema]));

    await writeFile(path.join(wa.worktreePath, 'only-in-a.txt'), 'a');
    expect(existsSync(path.join(wb.worktreePath, 'only-in-a.txt'))).toBe(false);
    expect(gitIn(wa.worktreePath, ['rev-parse', '--abbrev-ref', 'HEAD'])).toBe(wa.branch);
    expect(gitIn(wb.worktreePath, ['rev-parse', '--abbrev-ref', 'HEAD'])).toBe(wb.branch);

    const [envA, envB] = await Promise.all([readEnv(wa.worktreePath), readEnv(wb.worktreePath)]);
    expect(envA).toEqual(wa.env);
    expect(envB).toEqual(wb.env);
    expect(envA).toMatchObject({
      PORT: String(wa.ports.start),
      PARALLAX_PORT_RANGE_START: String(wa.ports.start),
      PARALLAX_PORT_RANGE_END: String(wa.ports.end),
      PARALLAX_SESSION_ID: a.id,
    });
    expect(envA.PORT).not.toBe(envB.PORT);
    expect(envA.DATABASE_URL).not.toBe(envB.DATABASE_URL);
  });

  it("writes a DATABASE_URL whose tables land in the session's own schema", async () => {
    const { org, prepare } = await setUp({ createsSchema: true });
    const workspace = await prepare(await org.createSession());
    const url = workspace.env.DATABASE_URL!;
    expect(url).toContain(`options=-c%20search_path%3D${workspace.dbSchema}`);
    // Inside the sandbox it is 127.0.0.1:5432, forwarded to the schema server; here, that server.
    expect(new URL(url).host).toBe('127.0.0.1:5432');
    const onHost = hostUrl(url);
    await queryOnce(onHost, 'CREATE TABLE widgets (id int)');
    const [row] = await queryOnce<{ table_schema: string; table_owner: string }>(
      fx.ownerUrl,
      `SELECT t.table_schema, c.relowner::regrole::text AS table_owner FROM information_schema.tables t
       JOIN pg_class c ON c.relname = t.table_name WHERE t.table_name = 'widgets'`,
    );
    expect(row).toEqual({ table_schema: workspace.dbSchema, table_owner: workspace.dbSchema });
  });

  it("connects as the session's own role, which can reach nothing outside its schema", async () => {
    const { org, prepare } = await setUp({ createsSchema: true });
    const workspace = await prepare(await org.createSession());
    const url = new URL(hostUrl(workspace.env.DATABASE_URL!));
    expect(url.username).toBe(workspace.dbSchema);
    expect(url.password).not.toBe(new URL(fx.ownerUrl).password);
    // The product's tables live in the same test database here: the role sees none of them.
    await expect(queryOnce(url.toString(), 'SELECT count(*) FROM public."Organization"')).rejects.toThrow(/permission denied/);
    await expect(queryOnce(url.toString(), 'CREATE TABLE public.escaped (id int)')).rejects.toThrow(/permission denied/);
    await expect(queryOnce(url.toString(), 'CREATE ROLE sneaky')).rejects.toThrow(/permission denied/);
    url.password = 'guessed';
    await expect(queryOnce(url.toString(), 'SELECT 1')).rejects.toThrow(/password authentication failed/);
  });

  it('leaves DATABASE_URL out when the repository does not create a schema', async () => {
    const { org, prepare } = await setUp({ createsSchema: false });
    const workspace = await prepare(await org.createSession());
    expect(workspace.dbSchema).toBeNull();
    expect(workspace.env.DATABASE_URL).toBeUndefined();
    expect(await readEnv(workspace.worktreePath)).not.toHaveProperty('DATABASE_URL');
  });

  it("keeps .env.local out of the session's commits", async () => {
    const { org, prepare } = await setUp();
    const workspace = await prepare(await org.createSession());
    expect(gitIn(workspace.worktreePath, ['status', '--porcelain'])).toBe('');
    gitIn(workspace.worktreePath, ['add', '--all']);
    expect(gitIn(workspace.worktreePath, ['diff', '--cached', '--name-only'])).toBe('');
  });

  it("records origin's main head as the base commit, and the next session picks up a later commit", async () => {
    const { origin, org, prepare } = await setUp();
    const first = await org.createSession();
    const w1 = await prepare(first);
    expect(w1.baseCommit).toBe(origin.head());
    expect(gitIn(w1.worktreePath, ['rev-parse', 'HEAD'])).toBe(origin.head());

    const later = await origin.commit({ 'feature.txt': 'new\n' });
    const w2 = await prepare(await org.createSession());
    expect(w2.baseCommit).toBe(later);
    expect(await readFile(path.join(w2.worktreePath, 'feature.txt'), 'utf8')).toBe('new\n');
    expect(existsSync(path.join(w1.worktreePath, 'feature.txt'))).toBe(false);

    const row = await fx.db.forOrg(org.orgId, (tx) => tx.agentSession.findUniqueOrThrow({ where: { id: first.id } }));
    expect(row).toMatchObject({
      baseCommit: w1.baseCommit,
      branch: w1.branch,
      worktreePath: w1.worktreePath,
      dbSchema: null,
      portRangeStart: w1.ports.start,
      portRangeEnd: w1.ports.end,
    });
  });

  it('returns the same workspace when prepared twice, with no second worktree, lease or schema', async () => {
    const { org, prepare } = await setUp({ createsSchema: true });
    const session = await org.createSession();
    const first = await prepare(session);
    await writeFile(path.join(first.worktreePath, 'agent-work.txt'), 'keep me');
    const again = await prepare(session);

    expect(again).toEqual(first);
    expect(await readFile(path.join(first.worktreePath, 'agent-work.txt'), 'utf8')).toBe('keep me');
    const worktrees = gitIn(first.worktreePath, ['worktree', 'list', '--porcelain'])
      .split('\n')
      .filter((line) => line.startsWith('branch ') && line.includes(session.id));
    expect(worktrees).toHaveLength(1);
    const leases = await fx.db.scoped({}, (tx) => tx.portLease.findMany({ where: { sessionId: session.id } }));
    expect(leases).toHaveLength(1);
    expect((await sessionSchemas(fx.ownerUrl)).filter((s) => s === first.dbSchema)).toHaveLength(1);
  });

  it('rebuilds a half-made workspace on retry at the recorded base commit, even after origin moved on', async () => {
    const { origin, org, prepare } = await setUp();
    const session = await org.createSession();
    const first = await prepare(session);
    // A worker killed after the worktree was made but before it was recorded, mid-checkout.
    await fx.db.forOrg(org.orgId, (tx) => tx.agentSession.update({ where: { id: session.id }, data: { worktreePath: null } }));
    await rm(path.join(first.worktreePath, 'README.md'));
    await origin.commit({ 'README.md': 'changed upstream\n' });

    const retried = await prepare(session);
    expect(retried).toEqual(first);
    expect(await readFile(path.join(retried.worktreePath, 'README.md'), 'utf8')).toBe('# fixture\n');
    expect(gitIn(retried.worktreePath, ['rev-parse', 'HEAD'])).toBe(first.baseCommit);
  });

  it('brings back a prepared copy that disappeared, at its recorded base', async () => {
    const { org, prepare } = await setUp();
    const session = await org.createSession();
    const first = await prepare(session);
    await rm(first.worktreePath, { recursive: true, force: true });

    const again = await prepare(session);
    expect(again.worktreePath).toBe(first.worktreePath);
    expect(gitIn(again.worktreePath, ['rev-parse', 'HEAD'])).toBe(first.baseCommit);
    expect(gitIn(again.worktreePath, ['symbolic-ref', 'HEAD'])).toBe(`refs/heads/${first.branch}`);
  });

  it('gives the copy none of the mirror’s refs: other sessions’ branches stay out of sight', async () => {
    const { org, prepare } = await setUp();
    const a = await prepare(await org.createSession());
    const b = await prepare(await org.createSession());
    expect(gitIn(b.worktreePath, ['for-each-ref', '--format=%(refname)'])).toBe(`refs/heads/${b.branch}`);
    expect(gitIn(a.worktreePath, ['branch', '--list'])).not.toContain(b.branch);
  });
});

/** The session's DATABASE_URL as the host reaches the schema server (the sandbox reaches it on its own loopback). */
function hostUrl(url: string): string {
  const u = new URL(url);
  const server = new URL(fx.ownerUrl);
  u.hostname = server.hostname;
  u.port = server.port;
  return u.toString();
}

describe('prepareWorkspace refuses', () => {
  it('a repository row whose URL names a path on this host (saved before the rule, or written around it)', async () => {
    const { org, prepare } = await setUp({ byUrl: true });
    await expect(prepare(await org.createSession())).rejects.toMatchObject({
      code: 'INVALID',
      message: expect.stringMatching(/not the URL/),
    });
  });

  const prepareWith = async (repository: Record<string, unknown>, extra: { schemaDatabaseUrl?: string } = {}) => {
    const org = await createOrgWithRepository(fx.db, { localPath: tmp });
    const session = await org.createSession();
    return prepareWorkspace({
      db: fx.db,
      session,
      repository: { id: org.repository.id, defaultBranch: 'main', createsSchema: false, ...repository },
      ...dirs,
      ...extra,
    });
  };

  it('a repository with neither a URL nor a local path', async () => {
    await expect(prepareWith({})).rejects.toMatchObject({
      code: 'INVALID',
      message: expect.stringMatching(/neither a URL nor a local path/),
    });
  });

  it('a local path that is not a git repository', async () => {
    await expect(prepareWith({ localPath: tmp })).rejects.toMatchObject({
      code: 'INVALID',
      message: expect.stringContaining(`local path ${tmp} is not a git repository`),
    });
    await expect(prepareWith({ localPath: path.join(tmp, 'missing') })).rejects.toMatchObject({ code: 'INVALID' });
  });

  it('a URL that looks like a git option', async () => {
    await expect(prepareWith({ url: '--upload-pack=touch /tmp/pwned' })).rejects.toMatchObject({
      code: 'INVALID',
      message: expect.stringMatching(/url is not a usable location/),
    });
  });

  it('a default branch that origin does not have', async () => {
    const origin = await createOriginRepo(tmp);
    await expect(prepareWith({ localPath: origin.path, defaultBranch: 'trunk' })).rejects.toMatchObject({
      code: 'INVALID',
      message: expect.stringMatching(/has no branch trunk/),
    });
  });

  it('a repository that creates a schema when no schema database is configured', async () => {
    const origin = await createOriginRepo(tmp);
    await expect(prepareWith({ localPath: origin.path, createsSchema: true })).rejects.toMatchObject({
      code: 'INVALID',
      message: expect.stringMatching(/no schema database is configured/),
    });
  });

  it('a session that does not exist', async () => {
    const { origin, org } = await setUp();
    await expect(
      prepareWorkspace({
        db: fx.db,
        session: { id: 'no-such-session', orgId: org.orgId },
        repository: { ...org.repository, localPath: origin.path },
        ...dirs,
      }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
