import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
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
import { prepareWorkspace, releaseWorkspace } from './index.ts';

let fx: DatabaseFixture;
const tmp = useTempDir();
const dirs = { workspacesDir: path.join(tmp, 'workspaces'), mirrorsDir: path.join(tmp, 'mirrors') };

beforeAll(async () => {
  fx = await useTestDatabase();
});

async function setUp() {
  const origin = await createOriginRepo(tmp);
  const org = await createOrgWithRepository(fx.db, { localPath: origin.path, createsSchema: true });
  const session = await org.createSession();
  const mirror = path.join(dirs.mirrorsDir, `${org.repository.id}.git`);
  const prepare = () => prepareWorkspace({ db: fx.db, session, repository: org.repository, ...dirs, schemaDatabaseUrl: fx.ownerUrl });
  const release = (keepBranch: boolean) => releaseWorkspace({ db: fx.db, session, ...dirs, schemaDatabaseUrl: fx.ownerUrl, keepBranch });
  const state = async () => ({
    worktree: existsSync(path.join(dirs.workspacesDir, session.id)),
    branch: gitIn(mirror, ['branch', '--list', `parallax/${session.id}`]) !== '',
    lease: (await fx.db.scoped({}, (tx) => tx.portLease.count({ where: { sessionId: session.id } }))) > 0,
    schema: (await sessionSchemas(fx.ownerUrl)).some((s) => s.endsWith(session.id)),
    role: (await queryOnce(fx.ownerUrl, `SELECT 1 FROM pg_roles WHERE rolname = 'session_${session.id}'`)).length > 0,
  });
  return { org, session, mirror, prepare, release, state };
}

const nothingLeft = { worktree: false, branch: false, lease: false, schema: false, role: false };

describe('releaseWorkspace', () => {
  it('removes the worktree, the port lease, the schema and the branch', async () => {
    const { prepare, release, state } = await setUp();
    await prepare();
    expect(await state()).toEqual({ worktree: true, branch: false, lease: true, schema: true, role: true });
    await release(false);
    expect(await state()).toEqual(nothingLeft);
  });

  it('keeps the branch while its PR is open, and deletes it when released again after the PR closed', async () => {
    const { prepare, release, state, mirror } = await setUp();
    const workspace = await prepare();
    await writeFile(path.join(workspace.worktreePath, 'work.txt'), 'agent');
    gitIn(workspace.worktreePath, ['add', 'work.txt']);
    gitIn(workspace.worktreePath, ['-c', 'user.name=a', '-c', 'user.email=a@b', 'commit', '--quiet', '-m', 'agent work']);
    await release(true);
    expect(await state()).toEqual({ ...nothingLeft, branch: true });
    expect(gitIn(mirror, ['log', '-1', '--format=%s', `parallax/${workspace.branch.split('/')[1]}`])).toBe('agent work');
    await release(false);
    expect(await state()).toEqual(nothingLeft);
  });

  it('drops the schema with the tables the session made in it', async () => {
    const { prepare, release, state } = await setUp();
    const workspace = await prepare();
    const url = new URL(workspace.env.DATABASE_URL!);
    const server = new URL(fx.ownerUrl);
    [url.hostname, url.port] = [server.hostname, server.port];
    await queryOnce(url.toString(), 'CREATE TABLE orders (id int); INSERT INTO orders VALUES (1)');
    await release(false);
    expect((await state()).schema).toBe(false);
  });

  it('can run twice', async () => {
    const { prepare, release, state } = await setUp();
    await prepare();
    await release(false);
    await release(false);
    expect(await state()).toEqual(nothingLeft);
  });

  it('frees the port block for the next session', async () => {
    const { prepare, release } = await setUp();
    const { ports } = await prepare();
    await release(false);
    const next = await setUp();
    expect((await next.prepare()).ports).toEqual(ports);
    await next.release(false);
  });

  it('cleans up after a prepare that died half-way', async () => {
    const { session, mirror, prepare, release, state } = await setUp();
    await prepare();
    await release(false);
    // What a killed prepare (or an earlier version's) may leave: a lease and a schema it
    // never recorded, and a worktree folder git half-wrote (registered in the mirror, files missing).
    await fx.db.scoped({}, (tx) => tx.portLease.create({ data: { rangeStart: 59_000, rangeEnd: 59_009, sessionId: session.id } }));
    await queryOnce(fx.ownerUrl, `CREATE SCHEMA "session_${session.id}"`);
    const worktree = path.join(dirs.workspacesDir, session.id);
    gitIn(mirror, ['worktree', 'add', '--quiet', '--no-checkout', '-b', `parallax/${session.id}`, worktree, 'main']);
    await writeFile(path.join(worktree, 'partial'), '');
    expect(await state()).toEqual({ worktree: true, branch: true, lease: true, schema: true, role: false });

    await release(false);
    expect(await state()).toEqual(nothingLeft);
  });

  it('is fine for a session that was never prepared', async () => {
    const { release, session, mirror } = await setUp();
    await release(false);
    await release(true);
    expect(existsSync(mirror)).toBe(false);
    expect(existsSync(path.join(dirs.workspacesDir, session.id))).toBe(false);
  });

  it('removes a stray folder even when the session row is gone', async () => {
    const org = await createOrgWithRepository(fx.db, { localPath: tmp });
    const folder = path.join(dirs.workspacesDir, 'gone-session');
    await mkdir(folder, { recursive: true });
    await releaseWorkspace({ db: fx.db, session: { id: 'gone-session', orgId: org.orgId }, ...dirs, keepBranch: false });
    expect(existsSync(folder)).toBe(false);
  });

  it('does the rest of the cleanup, then says so, when the schema cannot be dropped', async () => {
    const { prepare, session, state } = await setUp();
    await prepare();
    const released = releaseWorkspace({ db: fx.db, session, ...dirs, keepBranch: false });
    await expect(released).rejects.toMatchObject({ code: 'INVALID', message: expect.stringMatching(/no schema database is configured/) });
    expect(await state()).toEqual({ ...nothingLeft, schema: true, role: true });
    await releaseWorkspace({ db: fx.db, session, ...dirs, schemaDatabaseUrl: fx.ownerUrl, keepBranch: false });
    expect(await state()).toEqual(nothingLeft);
  });
});
