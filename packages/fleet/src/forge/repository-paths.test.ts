// Which folders an org may name as a repository: its own forge folder and the operator's
// roots, judged after symlinks and `..` are resolved; never another org's forge or the data folder.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkRepositoryUrl, repositoryPathsFromEnv, resolveOwnRepositoryPath } from './repository-paths.ts';

const scratch = mkdtempSync(path.join(tmpdir(), 'parallax-repo-paths-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const dir = (...parts: string[]) => {
  const p = path.join(scratch, ...parts);
  mkdirSync(p, { recursive: true });
  return p;
};
const dataDir = dir('data');
const mine = dir('data', 'forge', 'org-a', 'app.git');
const theirs = dir('data', 'forge', 'org-b', 'app.git');
const root = dir('srv', 'git');
const inRoot = dir('srv', 'git', 'tool.git');
const outside = dir('home', 'someone', 'project');
dir('data', 'pglite');
const paths = { dataDir, roots: [root] };
const refusal = (localPath: string, p = paths) =>
  resolveOwnRepositoryPath(p, 'org-a', localPath).then(
    () => 'accepted',
    (e: { code: string; message: string }) => `${e.code}: ${e.message}`,
  );

describe('repository paths an org may use', () => {
  it('accepts a repository of the org’s own forge, by absolute path or by name, and one under an operator root', async () => {
    expect(await resolveOwnRepositoryPath(paths, 'org-a', mine)).toBe(mine);
    expect(await resolveOwnRepositoryPath(paths, 'org-a', 'app.git')).toBe(mine);
    expect(await resolveOwnRepositoryPath(paths, 'org-a', inRoot)).toBe(inRoot);
    expect(await resolveOwnRepositoryPath(paths, 'org-a', `${root}/./tool.git/`)).toBe(inRoot);
  });

  it('refuses another org’s forge repository by path, `..` and symlink', async () => {
    expect(await refusal(theirs)).toMatch(/^INVALID: .*not a repository of this organization's local forge/);
    expect(await refusal('../org-b/app.git')).toMatch(/^INVALID: .*local forge/);
    expect(await refusal(path.join(mine, '..', '..', 'org-b', 'app.git'))).toMatch(/^INVALID/);
    const link = path.join(dir('data', 'forge', 'org-a', 'sneaky'), 'b.git');
    symlinkSync(theirs, link);
    expect(await refusal(link)).toMatch(/^INVALID: .*local forge/);
    expect(await refusal('sneaky/b.git')).toMatch(/^INVALID/);
    // A symlink under an operator root into the data folder does not reach it either.
    const rootLink = path.join(root, 'into-data.git');
    symlinkSync(theirs, rootLink);
    expect(await refusal(rootLink)).toMatch(/^INVALID: .*local forge/);
  });

  it('refuses the data folder and its other contents, even when an operator root contains it', async () => {
    for (const p of [dataDir, path.join(dataDir, 'forge'), path.join(dataDir, 'pglite'), path.join(dataDir, 'forge', 'org-a')])
      expect(await refusal(p, { dataDir, roots: [scratch] })).toMatch(/^INVALID: .*Parallax's own data/);
  });

  it('refuses any other folder of the host, and says no roots are configured when there are none', async () => {
    expect(await refusal(outside)).toMatch(/outside the places repositories may live.*repository roots the operator configured/);
    expect(await refusal(outside, { dataDir, roots: [] })).toMatch(/no other repository roots are configured/);
    expect(await refusal('/etc')).toMatch(/^INVALID: .*outside/);
    // A root is a folder to live under, not a repository itself.
    expect(await refusal(root)).toMatch(/^INVALID: .*outside/);
  });

  it('refuses what does not exist, and strings no path can be, without echoing server folders', async () => {
    expect(await refusal('missing.git')).toBe('INVALID: Local path missing.git does not exist on this server.');
    expect(await refusal('a\u0000b')).toMatch(/characters a path cannot have/);
    expect(await refusal('-uhelp')).toMatch(/characters a path cannot have/);
    expect(await refusal('   ')).toMatch(/empty/);
    expect(await refusal(theirs)).not.toContain(path.join(dataDir, 'forge', 'org-a'));
  });

  it('keeps the tenant rule but not the roots when asked to (forge operations on saved rows)', async () => {
    expect(await resolveOwnRepositoryPath({ dataDir, roots: [] }, 'org-a', outside, { onlyUnderRoots: false })).toBe(outside);
    await expect(resolveOwnRepositoryPath(paths, 'org-a', theirs, { onlyUnderRoots: false })).rejects.toMatchObject({ code: 'INVALID' });
  });

  it('reads the data folder and the roots from the environment, none by default', () => {
    expect(repositoryPathsFromEnv({ PARALLAX_DATA_DIR: '/var/lib/parallax' })).toEqual({ dataDir: '/var/lib/parallax', roots: [] });
    expect(repositoryPathsFromEnv({ PARALLAX_DATA_DIR: '/d', PARALLAX_REPOSITORY_ROOTS: '/srv/git: /opt/repos :' }).roots).toEqual([
      '/srv/git',
      '/opt/repos',
    ]);
  });
});

describe('repository clone URLs', () => {
  it('accepts https, ssh and scp-like URLs', () => {
    for (const url of ['https://github.com/acme/app.git', 'ssh://git@git.example.com:2222/acme/app.git', 'git@github.com:acme/app.git'])
      expect(checkRepositoryUrl(url)).toBeNull();
  });
  it('sends local locations to the local path, and refuses git’s transport helpers and other schemes', () => {
    for (const url of ['file:///srv/data/forge/org-b/app.git', '/srv/data/forge/org-b/app.git', '../org-b/app.git', '~/app.git'])
      expect(checkRepositoryUrl(url)).toMatch(/goes in the local path/);
    expect(checkRepositoryUrl('ext::sh -c touch% /tmp/pwned')).toMatch(/goes in the local path/);
    expect(checkRepositoryUrl('https://bob:ghp_token@github.com/acme/app.git')).toMatch(/Leave credentials out/);
    for (const url of ['http://insecure.example/app.git', 'ftp://x/y', 'javascript:alert(1)'])
      expect(checkRepositoryUrl(url)).toMatch(/Give an https/);
  });
});
