// One local mirror per repository, shared by all its sessions on this machine: a
// session's worktree is made from it in milliseconds, and origin is fetched once per
// session instead of cloned. Everything that changes a mirror (fetch, worktrees,
// branches) runs under the mirror's lock.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { conflict } from '@parallax/tenancy';
import { withFileLock } from './file-lock.ts';
import { git, tryGit } from './git.ts';
import { parseSettings } from './parse-settings.ts';
import { resolveOrigin, type TRepositorySource, ZRepositorySource } from './repository-source.ts';
import { SESSION_BRANCH_PREFIX } from './session-worktree.ts';

/**
 * Session branches exist only in the mirror until the forge pushes them. Without this
 * negative refspec, `remote update --prune` would delete a live session's branch
 * (origin does not have it) or refuse the whole fetch (origin's copy differs).
 */
export const SESSION_BRANCHES = `refs/heads/${SESSION_BRANCH_PREFIX}*`;

export const mirrorPath = (mirrorsDir: string, repositoryId: string) => path.join(path.resolve(mirrorsDir), `${repositoryId}.git`);

export const withMirrorLock = <T>(mirror: string, work: () => Promise<T>) => withFileLock(`${mirror}.lock`, work);

/** When this process last began fetching each mirror (performance.now()). */
const fetchStarted = new Map<string, number>();

/** Clones the repository's origin as a mirror, or fetches it when the mirror exists; returns the mirror's path. */
export async function ensureMirror(options: { mirrorsDir: string; repository: TRepositorySource }): Promise<string> {
  const repository = parseSettings(ZRepositorySource, options.repository, 'Invalid repository settings');
  const origin = await resolveOrigin(repository);
  const mirror = mirrorPath(options.mirrorsDir, repository.id);
  await mkdir(path.dirname(mirror), { recursive: true });
  const asked = performance.now();
  await withMirrorLock(mirror, async () => {
    // A fetch that began after we were asked has everything origin had then: when
    // many sessions of one repository start together, they share it.
    if ((fetchStarted.get(mirror) ?? -1) > asked) return;
    const started = performance.now();
    if (existsSync(mirror)) {
      if ((await tryGit(['rev-parse', '--is-bare-repository'], { cwd: mirror })) !== 'true') {
        throw conflict(`${mirror} exists but is not a git mirror; move it away and retry`);
      }
      // The repository's settings may have moved it since the clone.
      await git(['remote', 'set-url', 'origin', origin], { cwd: mirror });
      await git(['remote', 'update', '--prune'], { cwd: mirror });
    } else {
      await cloneMirror(origin, mirror);
    }
    fetchStarted.set(mirror, started);
  });
  return mirror;
}

/** Clones beside the mirror and renames into place, so a killed clone never leaves a half-made mirror behind. */
async function cloneMirror(origin: string, mirror: string): Promise<void> {
  const parent = path.dirname(mirror);
  const leftovers = (await readdir(parent)).filter((name) => name.startsWith(`${path.basename(mirror)}.clone-`));
  await Promise.all(leftovers.map((name) => rm(path.join(parent, name), { recursive: true, force: true })));
  const staging = `${mirror}.clone-${randomUUID()}`;
  try {
    await git(['clone', '--mirror', '--quiet', '--', origin, staging], { cwd: parent });
    await git(['config', '--add', 'remote.origin.fetch', `^${SESSION_BRANCHES}`], { cwd: staging });
    // A mirror remote turns `git push origin <branch>` from a worktree into an error,
    // and a bare `git push origin` into a push of every ref.
    await git(['config', '--unset', 'remote.origin.mirror'], { cwd: staging });
    await rename(staging, mirror);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
