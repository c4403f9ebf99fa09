import { existsSync } from 'node:fs';
import { mkdir, readdir, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createOriginRepo, ensureMirrorInOtherProcess, gitIn, useTempDir } from '../../test/fixtures/workspace/index.ts';
import { withFileLock } from './file-lock.ts';
import { ensureMirror } from './index.ts';

const tmp = useTempDir();
const mirrorsDir = path.join(tmp, 'mirrors');
let counter = 0;

async function setUp() {
  const origin = await createOriginRepo(tmp);
  const repository = { id: `repo-${++counter}`, localPath: origin.path };
  const mirror = path.join(mirrorsDir, `${repository.id}.git`);
  return { origin, repository, mirror, ensure: () => ensureMirror({ mirrorsDir, repository }) };
}

const leftovers = async () => (await readdir(mirrorsDir)).filter((name) => /\.(lock|clone-.*)$/.test(name));

describe('ensureMirror', () => {
  it('clones origin on first use, then fetches its new commits and prunes its deleted branches', async () => {
    const { origin, mirror, ensure } = await setUp();
    expect(await ensure()).toBe(mirror);
    expect(gitIn(mirror, ['rev-parse', 'refs/heads/main'])).toBe(origin.head());

    const later = await origin.commit({ 'next.txt': 'x' });
    await origin.commit({ 'f.txt': 'f' }, { branch: 'feature' });
    await ensure();
    expect(gitIn(mirror, ['rev-parse', 'refs/heads/main'])).toBe(later);
    expect(gitIn(mirror, ['branch', '--list', 'feature'])).not.toBe('');

    gitIn(origin.path, ['branch', '-D', 'feature']);
    await ensure();
    expect(gitIn(mirror, ['branch', '--list', 'feature'])).toBe('');
  });

  it("leaves a live session's branch alone, whether origin lacks it or has another version of it", async () => {
    const { origin, mirror, ensure } = await setUp();
    await ensure();
    const worktree = path.join(tmp, `wt-${counter}`);
    gitIn(mirror, ['worktree', 'add', '--quiet', '-b', 'parallax/s1', worktree, 'main']);
    await ensure();
    expect(gitIn(mirror, ['rev-parse', 'refs/heads/parallax/s1'])).toBe(origin.head());

    await origin.commit({ 'pushed.txt': 'by someone else' }, { branch: 'parallax/s1' });
    await ensure();
    expect(gitIn(mirror, ['rev-parse', 'refs/heads/parallax/s1'])).toBe(origin.head('main'));
  });

  it("lets a session's worktree push its branch to origin (the mirror is not a push mirror)", async () => {
    const { origin, mirror, ensure } = await setUp();
    await ensure();
    const worktree = path.join(tmp, `wt-${counter}`);
    gitIn(mirror, ['worktree', 'add', '--quiet', '-b', 'parallax/s2', worktree, 'main']);
    await writeFile(path.join(worktree, 'change.txt'), 'agent');
    gitIn(worktree, ['add', 'change.txt']);
    gitIn(worktree, ['commit', '--quiet', '-m', 'agent change']);
    gitIn(worktree, ['push', '--quiet', 'origin', 'parallax/s2']);
    expect(origin.branches().sort()).toEqual(['main', 'parallax/s2']);
  });

  it('clones once when several sessions ask at once', async () => {
    const { origin, mirror, repository } = await setUp();
    const results = await Promise.all(Array.from({ length: 5 }, () => ensureMirror({ mirrorsDir, repository })));
    expect(new Set(results)).toEqual(new Set([mirror]));
    expect(gitIn(mirror, ['rev-parse', 'refs/heads/main'])).toBe(origin.head());
    expect(await leftovers()).toEqual([]);
  });

  it('waits for another process that holds the mirror, and shares one clone with it', async () => {
    const { origin, mirror, repository, ensure } = await setUp();
    let other: Promise<string> | undefined;
    let finishedWhileHeld = false;
    await withFileLock(`${mirror}.lock`, async () => {
      other = ensureMirrorInOtherProcess(mirrorsDir, repository.id, origin.path);
      other.then(
        () => {
          finishedWhileHeld = true;
        },
        () => {},
      );
      await sleep(3000);
    });
    expect(finishedWhileHeld).toBe(false);
    expect(await other).toBe(mirror);

    const twoMore = await Promise.all([ensureMirrorInOtherProcess(mirrorsDir, repository.id, origin.path), ensure(), ensure()]);
    expect(new Set(twoMore)).toEqual(new Set([mirror]));
    expect(await leftovers()).toEqual([]);
  });

  it('takes over the lock of a worker that died holding it', async () => {
    const { mirror, ensure } = await setUp();
    await mkdir(mirrorsDir, { recursive: true });
    await writeFile(`${mirror}.lock`, JSON.stringify({ pid: 999_999, host: 'dead-worker' }));
    const longAgo = new Date(Date.now() - 60_000);
    await utimes(`${mirror}.lock`, longAgo, longAgo);
    await ensure();
    expect(existsSync(mirror)).toBe(true);
    expect(await leftovers()).toEqual([]);
  });

  it('ignores and removes a half-made clone left by a killed worker', async () => {
    const { origin, mirror, ensure } = await setUp();
    await mkdir(`${mirror}.clone-killed/objects`, { recursive: true });
    await ensure();
    expect(gitIn(mirror, ['rev-parse', 'refs/heads/main'])).toBe(origin.head());
    expect(await leftovers()).toEqual([]);
  });

  it('refuses to treat a folder that is not a git repository as the mirror', async () => {
    const { mirror, ensure } = await setUp();
    await mkdir(mirror, { recursive: true });
    await expect(ensure()).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/is not a git mirror/) });
  });

  it('never runs a command named by an ext:: URL', async () => {
    const marker = path.join(tmp, 'ext-ran');
    await expect(ensureMirror({ mirrorsDir, repository: { id: 'repo-ext', url: `ext::sh -c touch% ${marker}` } })).rejects.toMatchObject({
      name: 'GitError',
      message: expect.stringMatching(/transport 'ext' not allowed/),
    });
    expect(existsSync(marker)).toBe(false);
  });

  it('says which setting is wrong', async () => {
    await expect(ensureMirror({ mirrorsDir, repository: { id: '../escape', localPath: tmp } })).rejects.toMatchObject({
      code: 'INVALID',
      message: expect.stringMatching(/^Invalid repository settings: id must be/),
    });
    await expect(ensureMirror({ mirrorsDir, repository: { id: 'r', url: '  ' } })).rejects.toMatchObject({ code: 'INVALID' });
  });
});
