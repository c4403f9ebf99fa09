// Issue 8, point 1, through the API: org B cannot register org A's forge repository by
// path (absolute, `..`, symlink), by URL or by id, nor the data folder or any host path;
// org A can register its own, and the operator's roots open what they name.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type DatabaseFixture, useTestDatabase } from '@parallax/db/test-database';
import { gitIn } from '@parallax/fleet/testing';
import { TRPCError } from '@trpc/server';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { callerFor, uniqueEmail } from './testing/fixtures.ts';

let fx: DatabaseFixture;
const scratch = mkdtempSync(path.join(tmpdir(), 'parallax-ownership-'));
const dataDir = path.join(scratch, 'data');

beforeAll(async () => {
  fx = await useTestDatabase();
});
beforeEach(() => {
  vi.stubEnv('PARALLAX_DATA_DIR', dataDir);
  vi.stubEnv('PARALLAX_REPOSITORY_ROOTS', '');
});
afterEach(() => {
  vi.unstubAllEnvs();
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function ownerOfNewOrg(label: string) {
  const { userId } = await callerFor(fx.db, null).auth.signUp({
    email: uniqueEmail(label),
    password: 'correct horse battery staple',
    name: label,
  });
  const api = callerFor(fx.db, userId);
  const org = await api.org.create({ name: `${label} ${Math.random().toString(36).slice(2, 6)}` });
  const forge = path.join(dataDir, 'forge', org.id);
  mkdirSync(forge, { recursive: true });
  return { api, orgId: org.id, forge };
}

function bareRepository(at: string): string {
  mkdirSync(at, { recursive: true });
  gitIn(at, ['init', '--quiet', '--bare']);
  return at;
}

async function failure(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TRPCError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected the call to be refused');
}

describe('repositories belong to their org', () => {
  it('lets an org register its own forge repository by name or path, stored resolved', async () => {
    const a = await ownerOfNewOrg('alpha');
    const origin = bareRepository(path.join(a.forge, 'app.git'));
    const byName = await a.api.repository.create({ orgId: a.orgId, settings: { name: 'app', localPath: 'app.git' } });
    expect(byName.localPath).toBe(origin);
    const byPath = await a.api.repository.create({ orgId: a.orgId, settings: { name: 'app-again', localPath: `${a.forge}/./app.git/` } });
    expect(byPath.localPath).toBe(origin);
  });

  it('refuses org B org A’s forge repository by path, `..`, symlink and URL, with a clear 400', async () => {
    const a = await ownerOfNewOrg('alpha');
    const b = await ownerOfNewOrg('bravo');
    const theirs = bareRepository(path.join(a.forge, 'app.git'));
    const link = path.join(b.forge, 'mine.git');
    symlinkSync(theirs, link);
    const attempts = [
      { localPath: theirs },
      { localPath: `../${a.orgId}/app.git` },
      { localPath: path.join(b.forge, '..', a.orgId, 'app.git') },
      { localPath: link },
      { localPath: 'mine.git' },
    ];
    for (const settings of attempts) {
      const refused = await failure(b.api.repository.create({ orgId: b.orgId, settings: { name: 'stolen', ...settings } }));
      expect(refused).toEqual({
        code: 'BAD_REQUEST',
        message: expect.stringMatching(/is not a repository of this organization's local forge/),
      });
      // Only what the caller gave is echoed: a name in, no server folder out.
      if (!settings.localPath.startsWith('/')) expect(refused.message).not.toContain(dataDir);
    }
    for (const url of [`file://${theirs}`, theirs, `../${a.orgId}/app.git`, `ext::git-upload-pack ${theirs}`]) {
      const refused = await failure(b.api.repository.create({ orgId: b.orgId, settings: { name: 'stolen', url } }));
      expect(refused).toEqual({
        code: 'BAD_REQUEST',
        message: 'settings.url: A repository on this server goes in the local path, not the URL.',
      });
    }
    expect(await b.api.repository.list({ orgId: b.orgId })).toEqual([]);
  });

  it('refuses org B org A’s repository by id: not found in B, forbidden in A', async () => {
    const a = await ownerOfNewOrg('alpha');
    const b = await ownerOfNewOrg('bravo');
    bareRepository(path.join(a.forge, 'app.git'));
    bareRepository(path.join(b.forge, 'own.git'));
    const repo = await a.api.repository.create({ orgId: a.orgId, settings: { name: 'app', localPath: 'app.git' } });
    const settings = { name: 'app', localPath: 'own.git' };
    expect(await failure(b.api.repository.update({ orgId: b.orgId, repositoryId: repo.id, settings }))).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await failure(b.api.repository.update({ orgId: a.orgId, repositoryId: repo.id, settings }))).toMatchObject({
      code: 'FORBIDDEN',
    });
    const dispatch = b.api.session.dispatch({ orgId: b.orgId, repositoryId: repo.id, title: 'steal', prompt: 'read it' });
    expect((await failure(dispatch)).code).toMatch(/NOT_FOUND|BAD_REQUEST/);
    expect((await a.api.repository.list({ orgId: a.orgId }))[0]?.localPath).toBe(path.join(a.forge, 'app.git'));
  });

  it('refuses the data folder, its other contents, and host folders outside the operator’s roots', async () => {
    const b = await ownerOfNewOrg('bravo');
    mkdirSync(path.join(dataDir, 'pglite'), { recursive: true });
    for (const localPath of [dataDir, path.join(dataDir, 'pglite'), path.join(dataDir, 'forge'), b.forge]) {
      const refused = await failure(b.api.repository.create({ orgId: b.orgId, settings: { name: 'data', localPath } }));
      expect(refused).toEqual({ code: 'BAD_REQUEST', message: expect.stringMatching(/Parallax's own data cannot be used/) });
    }
    const host = await failure(b.api.repository.create({ orgId: b.orgId, settings: { name: 'etc', localPath: '/etc' } }));
    expect(host).toEqual({
      code: 'BAD_REQUEST',
      message: expect.stringMatching(/outside the places repositories may live.*no other repository roots/),
    });
    const missing = await failure(b.api.repository.create({ orgId: b.orgId, settings: { name: 'gone', localPath: '/nonexistent/x.git' } }));
    expect(missing.message).toBe('Local path /nonexistent/x.git does not exist on this server.');
  });

  it('accepts a folder under a root the operator configured, and refuses an update that points an own repository at another org', async () => {
    const a = await ownerOfNewOrg('alpha');
    const b = await ownerOfNewOrg('bravo');
    const root = path.join(scratch, 'srv-git');
    const shared = bareRepository(path.join(root, 'tool.git'));
    vi.stubEnv('PARALLAX_REPOSITORY_ROOTS', root);
    const repo = await b.api.repository.create({ orgId: b.orgId, settings: { name: 'tool', localPath: shared } });
    expect(repo.localPath).toBe(shared);

    const theirs = bareRepository(path.join(a.forge, 'app.git'));
    const refused = await failure(
      b.api.repository.update({ orgId: b.orgId, repositoryId: repo.id, settings: { name: 'tool', localPath: theirs } }),
    );
    expect(refused.code).toBe('BAD_REQUEST');
    expect((await b.api.repository.list({ orgId: b.orgId }))[0]?.localPath).toBe(shared);
  });
});
