// A session's working copy: a private repository borrowing its repository's mirror's objects,
// on its own branch. Not a `git worktree` of the mirror: a worktree shares the mirror's
// refs and config, so an agent in a sandbox could either not commit at all or write
// every other session's branches. The copy borrows the mirror's objects (alternates,
// bound read-only into the sandbox) and owns everything else. Callers hold the
// mirror's lock.
import { readFile, realpath, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { git, tryGit } from './git.ts';

export const SESSION_BRANCH_PREFIX = 'parallax/';
export const sessionBranch = (sessionId: string) => `${SESSION_BRANCH_PREFIX}${sessionId}`;
export const sessionWorktreePath = (workspacesDir: string, sessionId: string) => path.join(path.resolve(workspacesDir), sessionId);

/** True when `worktreePath` is a clone borrowing `mirror`'s objects with `branch` checked out. */
export async function isSessionWorktree(mirror: string, worktreePath: string, branch: string): Promise<boolean> {
  const real = await realpath(worktreePath).catch(() => null);
  if (!real) return false;
  // Asked from inside the folder, git would answer for any repository enclosing it.
  const [top, gitDir, head, alternates] = await Promise.all([
    tryGit(['rev-parse', '--show-toplevel'], { cwd: real }),
    tryGit(['rev-parse', '--path-format=absolute', '--git-dir'], { cwd: real }),
    tryGit(['symbolic-ref', '--quiet', 'HEAD'], { cwd: real }),
    readFile(path.join(real, '.git', 'objects', 'info', 'alternates'), 'utf8').catch(() => ''),
  ]);
  const objects = path.join(await realpath(mirror), 'objects');
  return top === real && gitDir === path.join(real, '.git') && head === `refs/heads/${branch}` && alternates.trim() === objects;
}

/**
 * Makes `worktreePath` a fresh clone with `branch` checked out. With `resetBranch`, the
 * branch is (re)made at `base`: before the agent has run there is nothing on it to keep.
 * Without, the mirror's copy of the branch (the agent's committed work, kept there once
 * its PR opened) is checked out as it is, and a missing one is made at `base`.
 */
export async function checkoutSessionWorktree(
  mirror: string,
  target: { worktreePath: string; branch: string; base: string; resetBranch: boolean },
): Promise<void> {
  await removeSessionWorktree(mirror, target.worktreePath);
  const kept = target.resetBranch ? null : await resolveBranchHead(mirror, target.branch);
  // An empty repository that borrows the mirror's objects: none of the mirror's refs
  // (other sessions' branches) come with it, only the commit it starts from.
  await git(['init', '--quiet', '--', target.worktreePath], { cwd: path.dirname(target.worktreePath) });
  await writeFile(
    path.join(target.worktreePath, '.git', 'objects', 'info', 'alternates'),
    `${path.join(await realpath(mirror), 'objects')}\n`,
  );
  await git(['checkout', '--quiet', '-B', target.branch, kept ?? target.base], { cwd: target.worktreePath });
}

/** Removes the clone, whatever state it is in (complete, half-made, already gone). */
export async function removeSessionWorktree(mirror: string, worktreePath: string): Promise<void> {
  await rm(worktreePath, { recursive: true, force: true });
  // Worktrees of the mirror made by earlier versions.
  await git(['worktree', 'prune'], { cwd: mirror });
}

/** Keeps the branch the agent's commits are on in the mirror, so a lost clone can be remade with them. */
export async function keepSessionBranch(mirror: string, worktreePath: string, branch: string): Promise<void> {
  await git(['fetch', '--quiet', '--no-tags', '--', worktreePath, `+refs/heads/${branch}:refs/heads/${branch}`], { cwd: mirror });
}

export async function deleteSessionBranch(mirror: string, branch: string): Promise<void> {
  if (await branchExists(mirror, branch)) await git(['branch', '--quiet', '-D', branch], { cwd: mirror });
}

export async function branchExists(mirror: string, branch: string): Promise<boolean> {
  return (await tryGit(['show-ref', '--verify', '--quiet', `refs/heads/${branch}`], { cwd: mirror })) !== null;
}

/** The commit `branch` points to in the mirror, or null when the mirror has no such branch. */
export function resolveBranchHead(mirror: string, branch: string): Promise<string | null> {
  return tryGit(['rev-parse', '--verify', '--quiet', `refs/heads/${branch}^{commit}`], { cwd: mirror });
}
