// A session's worktree and branch in its repository's mirror. Callers hold the
// mirror's lock: worktrees and refs of one mirror change one at a time.
import { realpath, rm } from 'node:fs/promises';
import path from 'node:path';
import { git, tryGit } from './git.ts';

export const SESSION_BRANCH_PREFIX = 'parallax/';
export const sessionBranch = (sessionId: string) => `${SESSION_BRANCH_PREFIX}${sessionId}`;
export const sessionWorktreePath = (workspacesDir: string, sessionId: string) => path.join(path.resolve(workspacesDir), sessionId);

/** True when `worktreePath` is a worktree of `mirror` with `branch` checked out. */
export async function isSessionWorktree(mirror: string, worktreePath: string, branch: string): Promise<boolean> {
  const real = await realpath(worktreePath).catch(() => null);
  if (!real) return false;
  // Asked from inside the folder, git would answer for any repository enclosing it.
  const [top, commonDir, head] = await Promise.all([
    tryGit(['rev-parse', '--show-toplevel'], { cwd: real }),
    tryGit(['rev-parse', '--path-format=absolute', '--git-common-dir'], { cwd: real }),
    tryGit(['symbolic-ref', '--quiet', 'HEAD'], { cwd: real }),
  ]);
  return top === real && commonDir === (await realpath(mirror)) && head === `refs/heads/${branch}`;
}

/**
 * Makes `worktreePath` a fresh checkout of `branch`. With `resetBranch`, the branch is
 * (re)made at `base`: before the agent has run there is nothing on it to keep.
 * Without, an existing branch is checked out as it is (its commits are the agent's
 * work) and a missing one is made at `base`.
 */
export async function checkoutSessionWorktree(
  mirror: string,
  target: { worktreePath: string; branch: string; base: string; resetBranch: boolean },
): Promise<void> {
  await removeSessionWorktree(mirror, target.worktreePath);
  const hasBranch = await branchExists(mirror, target.branch);
  const args =
    target.resetBranch || !hasBranch
      ? ['worktree', 'add', '--quiet', '-B', target.branch, target.worktreePath, target.base]
      : ['worktree', 'add', '--quiet', target.worktreePath, target.branch];
  await git(args, { cwd: mirror });
}

/** Removes the worktree, whatever state it is in (complete, half-made, already gone). */
export async function removeSessionWorktree(mirror: string, worktreePath: string): Promise<void> {
  await tryGit(['worktree', 'remove', '--force', '--force', worktreePath], { cwd: mirror });
  await rm(worktreePath, { recursive: true, force: true });
  await git(['worktree', 'prune'], { cwd: mirror });
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
