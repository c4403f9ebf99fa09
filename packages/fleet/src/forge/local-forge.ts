// The built-in forge for self-hosting and the demo. A repository's origin is a bare git
// repository on disk (Repository.localPath); PRs exist only as PullRequest rows; merging
// is a real `git merge --no-ff` in a throwaway clone, pushed back to the base branch.
// Every operation that touches an origin (push, open, merge) first checks that the
// path, symlinks resolved, is the org's own (repository-paths.ts): a row that points at
// another org's forge or at the data folder is refused, however it was written.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  type Database,
  isUniqueViolation,
  type PullRequestModel as PullRequest,
  type RepositoryModel as Repository,
  type Tx,
} from '@parallax/db';
import { conflict, invalid, notFound } from '@parallax/tenancy';
import { GitCommandError, MergeConflictError } from './errors.ts';
import { type Forge, type OpenPullRequestOptions, type TrackedPullRequest, toOpenedPullRequest, toTrackedPullRequest } from './forge.ts';
import { FORGE_COMMITTER, git, tryGit } from './git.ts';
import { type RepositoryPaths, repositoryPathsFromEnv, resolveOwnRepositoryPath } from './repository-paths.ts';
import { applyObservedState, recordOpenedPullRequest } from './tracking.ts';

export interface LocalForge extends Forge {
  /** Merges with a merge commit; throws MergeConflictError (nothing changed) when it does not merge cleanly. */
  mergePullRequest(options: { orgId: string; pullRequestId: string; mergedBy: string }): Promise<TrackedPullRequest>;
  closePullRequest(options: { orgId: string; pullRequestId: string; closedBy: string }): Promise<TrackedPullRequest>;
}

export interface LocalForgeOptions {
  db: Database;
  /** The data folder holding each org's forge (default: from PARALLAX_DATA_DIR). */
  repositoryPaths?: RepositoryPaths;
}

export function createLocalForge({ db, repositoryPaths = repositoryPathsFromEnv() }: LocalForgeOptions): LocalForge {
  // The operator's roots are a gate for saving a repository (settings/repositories.ts);
  // here the tenant rule is what must hold: the org's own forge or outside the data folder.
  async function originOf(repository: Repository): Promise<string> {
    if (!repository.localPath) throw invalid(`repository ${repository.name} has no local path`);
    return resolveOwnRepositoryPath(repositoryPaths, repository.orgId, repository.localPath, { onlyUnderRoots: false });
  }

  async function findPullRequest(tx: Tx, pullRequestId: string) {
    const pr = await tx.pullRequest.findUnique({ where: { id: pullRequestId }, include: { repository: true } });
    if (!pr) throw notFound('pull request');
    return pr;
  }

  async function openPullRequest(o: OpenPullRequestOptions) {
    const { existing, repository } = await db.forOrg(o.orgId, async (tx) => ({
      existing: await tx.pullRequest.findUnique({ where: { sessionId: o.sessionId } }),
      repository: await tx.repository.findUnique({ where: { id: o.repositoryId } }),
    }));
    if (existing) return toOpenedPullRequest(existing, false);
    if (!repository) throw notFound('repository');
    const headSha = await branchSha(await originOf(repository), o.headBranch);
    if (!headSha) throw invalid(`branch ${o.headBranch} has not been pushed to ${repository.name}`);
    try {
      const { pullRequest, created } = await db.forOrg(o.orgId, async (tx) => {
        // Numbers are per repository; the lock serialises two sessions opening at once.
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`pull-request-number:${o.repositoryId}`}))`;
        const last = await tx.pullRequest.aggregate({ where: { repositoryId: o.repositoryId }, _max: { number: true } });
        const number = (last._max.number ?? 0) + 1;
        return recordOpenedPullRequest(tx, {
          ...o,
          forge: 'LOCAL',
          number,
          url: `local://${o.repositoryId}/pulls/${number}`,
          headSha,
          openedAt: new Date(),
        });
      });
      return toOpenedPullRequest(pullRequest, created);
    } catch (error) {
      // Another attempt for the same session won the race: report its PR.
      if (!isUniqueViolation(error)) throw error;
      const pr = await db.forOrg(o.orgId, (tx) => tx.pullRequest.findUnique({ where: { sessionId: o.sessionId } }));
      if (!pr) throw error;
      return toOpenedPullRequest(pr, false);
    }
  }

  async function mergePullRequest(o: { orgId: string; pullRequestId: string; mergedBy: string }) {
    const pr = await db.forOrg(o.orgId, (tx) => findPullRequest(tx, o.pullRequestId));
    if (pr.state === 'MERGED') return toTrackedPullRequest(pr);
    if (pr.state === 'CLOSED') throw conflict(`pull request #${pr.number} is closed`);
    const merged = await mergeInClone(await originOf(pr.repository), pr);
    return db.forOrg(o.orgId, async (tx) => {
      const fresh = await findPullRequest(tx, o.pullRequestId);
      const { pullRequest } = await applyObservedState(tx, fresh, {
        state: 'MERGED',
        mergedAt: new Date(),
        mergedBy: o.mergedBy,
        ...merged,
      });
      return toTrackedPullRequest(pullRequest);
    });
  }

  async function closePullRequest(o: { orgId: string; pullRequestId: string; closedBy: string }) {
    return db.forOrg(o.orgId, async (tx) => {
      const pr = await findPullRequest(tx, o.pullRequestId);
      if (pr.state === 'MERGED') throw conflict(`pull request #${pr.number} is already merged`);
      await originOf(pr.repository);
      const { pullRequest } = await applyObservedState(tx, pr, { state: 'CLOSED', closedBy: o.closedBy });
      return toTrackedPullRequest(pullRequest);
    });
  }

  return {
    async push({ orgId, repositoryId, worktree, branch }) {
      // Push to the checked origin of the org's repository, not to whatever the worktree's
      // remote says (its config is within an agent's reach), and by URL rather than the
      // remote name, so a mirror clone's `remote.origin.mirror` cannot push every ref.
      const repository = await db.forOrg(orgId, (tx) => tx.repository.findUnique({ where: { id: repositoryId } }));
      if (!repository) throw notFound('repository');
      const origin = await originOf(repository);
      await git(['push', '--quiet', '--no-verify', origin, `HEAD:refs/heads/${branch}`], { cwd: worktree });
      return { headSha: (await git(['rev-parse', 'HEAD'], { cwd: worktree })).trim() };
    },
    openPullRequest,
    async syncPullRequest({ orgId, sessionId }) {
      // The database is this forge's source of truth: merges and closes happen through it.
      const pr = await db.forOrg(orgId, (tx) => tx.pullRequest.findUnique({ where: { sessionId } }));
      if (!pr) throw notFound('pull request');
      return toTrackedPullRequest(pr);
    },
    mergePullRequest,
    closePullRequest,
  };
}

async function branchSha(repo: string, branch: string): Promise<string | null> {
  const result = await tryGit(['rev-parse', '--verify', '--quiet', `refs/heads/${branch}^{commit}`], { cwd: repo });
  return result.exitCode === 0 ? result.stdout.trim() : null;
}

/** Merges head into base in a temporary clone and pushes the merge commit to base. */
async function mergeInClone(origin: string, pr: PullRequest): Promise<{ headSha: string; mergeSha: string | null }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'parallax-merge-'));
  try {
    await git(['clone', '--quiet', '--no-checkout', origin, dir], { cwd: tmpdir() });
    const headSha = await branchSha(origin, pr.headBranch);
    const baseSha = await branchSha(origin, pr.baseBranch);
    if (!headSha || !baseSha) throw invalid(`branch ${headSha ? pr.baseBranch : pr.headBranch} no longer exists`);

    // A retry after the push landed but before it was recorded: find that merge, do not merge again.
    if ((await tryGit(['merge-base', '--is-ancestor', headSha, baseSha], { cwd: dir })).exitCode === 0) {
      return { headSha, mergeSha: await findMergeCommit(dir, headSha, baseSha) };
    }

    await git(['checkout', '--quiet', '--detach', baseSha], { cwd: dir });
    const title = `Merge pull request #${pr.number} from ${pr.headBranch}`;
    const merge = await tryGit([...FORGE_COMMITTER, 'merge', '--no-ff', '--no-edit', '-m', title, '-m', pr.title, headSha], { cwd: dir });
    if (merge.exitCode !== 0) {
      const unmerged = (await git(['diff', '--name-only', '--diff-filter=U'], { cwd: dir })).split('\n').filter(Boolean);
      if (unmerged.length === 0) throw new GitCommandError(['merge'], merge.exitCode, merge.stderr);
      throw new MergeConflictError(pr.id, unmerged);
    }
    const mergeSha = (await git(['rev-parse', 'HEAD'], { cwd: dir })).trim();

    const push = await tryGit(['push', '--quiet', '--no-verify', 'origin', `HEAD:refs/heads/${pr.baseBranch}`], { cwd: dir });
    if (push.exitCode !== 0) {
      if ((await branchSha(origin, pr.baseBranch)) !== baseSha)
        throw conflict(`${pr.baseBranch} moved while merging #${pr.number}; merge again`);
      throw new GitCommandError(['push'], push.exitCode, push.stderr);
    }
    return { headSha, mergeSha };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The merge commit on base whose second parent is head, if there is one. */
async function findMergeCommit(dir: string, headSha: string, baseSha: string): Promise<string | null> {
  const out = await git(['rev-list', '--merges', '--parents', '--ancestry-path', `${headSha}..${baseSha}`], { cwd: dir });
  const merges = out
    .split('\n')
    .map((line) => line.split(' '))
    .filter(([, , second]) => second === headSha);
  return merges.at(-1)?.[0] ?? null;
}
