// The local forge end to end: real git (bare origin, agent clone), real PostgreSQL.
import path from 'node:path';
import { type DatabaseFixture, useTestDatabase } from '@parallax/db/test-database';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrgWithRepository, createSession, listSessionEvents } from '../../test/fixtures/forge/database-rows.ts';
import { branchHead, cloneWithAgentCommit, commitFiles, createOrigin, gitIn, makeScratchDir } from '../../test/fixtures/forge/git-repos.ts';
import { MergeConflictError } from './errors.ts';
import { createLocalForge } from './local-forge.ts';

let fx: DatabaseFixture;
const scratch = makeScratchDir();
let counter = 0;

beforeAll(async () => {
  fx = await useTestDatabase();
});
afterAll(() => scratch.remove());

/** A bare origin, its org and repository rows, a session, and an agent clone with one commit. */
async function sessionWithAgentCommit(files: Record<string, string> = { 'src/greeting.ts': "export const greeting = 'bonjour';\n" }) {
  const name = `demo-${++counter}`;
  const origin = createOrigin(scratch.dir, name);
  const { orgId, repositoryId } = await createOrgWithRepository(fx.db, { forge: 'LOCAL', localPath: origin, name });
  const session = await createSession(fx.db, { orgId, repositoryId });
  const branch = `parallax/${name}-session`;
  const { worktree, headSha } = cloneWithAgentCommit(origin, { root: scratch.dir, branch, files });
  const forge = createLocalForge({ db: fx.db });
  const open = () =>
    forge.openPullRequest({
      ...session,
      headBranch: branch,
      baseBranch: 'main',
      title: 'Greet in French',
      body: 'Agent PR',
      stats: { filesChanged: 1, linesAdded: 1, linesDeleted: 1 },
    });
  return { origin, orgId, repositoryId, session, branch, worktree, headSha, forge, open };
}

describe('the local forge', () => {
  it('pushes the agent branch to the bare origin and opens a PR recorded with a PR_OPENED event', async () => {
    const s = await sessionWithAgentCommit();
    expect(await s.forge.push({ worktree: s.worktree, branch: s.branch })).toEqual({ headSha: s.headSha });
    expect(branchHead(s.origin, s.branch)).toBe(s.headSha);

    const opened = await s.open();
    expect(opened).toMatchObject({ number: 1, url: `local://${s.repositoryId}/pulls/1`, headSha: s.headSha, created: true });
    const row = await fx.db.forOrg(s.orgId, (tx) => tx.pullRequest.findUniqueOrThrow({ where: { sessionId: s.session.sessionId } }));
    expect(row).toMatchObject({ forge: 'LOCAL', state: 'OPEN', headBranch: s.branch, baseBranch: 'main', filesChanged: 1, linesAdded: 1 });
    const events = await listSessionEvents(fx.db, s.orgId, s.session.sessionId);
    expect(events.map((e) => e.type)).toEqual(['PR_OPENED']);
  });

  it('returns the same PR with created: false when opening is retried, and writes no second event', async () => {
    const s = await sessionWithAgentCommit();
    await s.forge.push({ worktree: s.worktree, branch: s.branch });
    const first = await s.open();
    const again = await s.open();
    expect(again).toEqual({ ...first, created: false });
    expect(await s.forge.push({ worktree: s.worktree, branch: s.branch })).toEqual({ headSha: s.headSha });
    const events = await listSessionEvents(fx.db, s.orgId, s.session.sessionId);
    expect(events.filter((e) => e.type === 'PR_OPENED')).toHaveLength(1);
  });

  it('refuses to open a PR for a branch that was never pushed', async () => {
    const s = await sessionWithAgentCommit();
    await expect(s.open()).rejects.toMatchObject({ code: 'INVALID' });
  });

  it('numbers PRs per repository, also when two sessions open at once', async () => {
    const s = await sessionWithAgentCommit();
    await s.forge.push({ worktree: s.worktree, branch: s.branch });
    const others = await Promise.all([1, 2].map(() => createSession(fx.db, { orgId: s.orgId, repositoryId: s.repositoryId })));
    const opened = await Promise.all(
      [s.session, ...others].map((session) =>
        s.forge.openPullRequest({
          ...session,
          headBranch: s.branch,
          baseBranch: 'main',
          title: 't',
          body: 'b',
          stats: { filesChanged: 1, linesAdded: 1, linesDeleted: 0 },
        }),
      ),
    );
    expect(opened.map((o) => o.number).sort()).toEqual([1, 2, 3]);
  });

  it('merges with a real --no-ff merge on main and records who merged it, once', async () => {
    const s = await sessionWithAgentCommit();
    await s.forge.push({ worktree: s.worktree, branch: s.branch });
    const opened = await s.open();
    const before = branchHead(s.origin, 'main');

    const merged = await s.forge.mergePullRequest({ orgId: s.orgId, pullRequestId: opened.pullRequestId, mergedBy: 'user-ada' });
    const main = branchHead(s.origin, 'main');
    expect(merged).toMatchObject({ state: 'MERGED', mergedBy: 'user-ada', mergeSha: main, headSha: s.headSha });
    expect(merged.mergedAt).toBeInstanceOf(Date);
    expect(gitIn(s.origin, ['log', '--format=%H', 'main'])).toContain(s.headSha);
    expect(gitIn(s.origin, ['rev-list', '--parents', '-n', '1', 'main']).split(' ')).toEqual([main, before, s.headSha]);
    expect(gitIn(s.origin, ['show', '-s', '--format=%s', 'main'])).toBe(`Merge pull request #1 from ${s.branch}`);

    expect(await s.forge.mergePullRequest({ orgId: s.orgId, pullRequestId: opened.pullRequestId, mergedBy: 'user-bob' })).toEqual(merged);
    expect(branchHead(s.origin, 'main')).toBe(main);
    const events = await listSessionEvents(fx.db, s.orgId, s.session.sessionId);
    expect(events.map((e) => [e.type, e.data])).toEqual([
      ['PR_OPENED', expect.anything()],
      ['PR_MERGED', { number: 1, mergedBy: 'user-ada', mergeSha: main }],
    ]);
    expect(await s.forge.syncPullRequest(s.session)).toEqual(merged);
  });

  it('records the merge commit a crashed attempt already pushed instead of merging again', async () => {
    const s = await sessionWithAgentCommit();
    await s.forge.push({ worktree: s.worktree, branch: s.branch });
    const opened = await s.open();
    // The earlier attempt: merged and pushed, then died before recording anything.
    const clone = path.join(scratch.dir, `crashed-merge-${counter}`);
    gitIn(scratch.dir, ['clone', '--quiet', s.origin, clone]);
    gitIn(clone, ['merge', '--no-ff', '--quiet', '-m', 'Merge pull request #1', `origin/${s.branch}`]);
    gitIn(clone, ['push', '--quiet', 'origin', 'HEAD:refs/heads/main']);
    const pushedMerge = branchHead(s.origin, 'main');

    const merged = await s.forge.mergePullRequest({ orgId: s.orgId, pullRequestId: opened.pullRequestId, mergedBy: 'user-ada' });
    expect(merged).toMatchObject({ state: 'MERGED', mergeSha: pushedMerge });
    expect(branchHead(s.origin, 'main')).toBe(pushedMerge);
  });

  it('refuses a conflicting merge with MergeConflictError and leaves main and the PR unchanged', async () => {
    const s = await sessionWithAgentCommit({ 'src/greeting.ts': "export const greeting = 'bonjour';\n" });
    await s.forge.push({ worktree: s.worktree, branch: s.branch });
    const opened = await s.open();
    // Someone else changed the same line on main meanwhile.
    const other = path.join(scratch.dir, `other-${counter}`);
    gitIn(scratch.dir, ['clone', '--quiet', s.origin, other]);
    commitFiles(other, { 'src/greeting.ts': "export const greeting = 'hola';\n" }, 'Greet in Spanish');
    gitIn(other, ['push', '--quiet', 'origin', 'HEAD:refs/heads/main']);
    const main = branchHead(s.origin, 'main');

    const attempt = s.forge.mergePullRequest({ orgId: s.orgId, pullRequestId: opened.pullRequestId, mergedBy: 'user-ada' });
    await expect(attempt).rejects.toBeInstanceOf(MergeConflictError);
    await expect(attempt).rejects.toMatchObject({ code: 'CONFLICT', conflictingFiles: ['src/greeting.ts'] });
    expect(branchHead(s.origin, 'main')).toBe(main);
    expect(await s.forge.syncPullRequest(s.session)).toMatchObject({ state: 'OPEN', mergedAt: null, mergeSha: null });
    const events = await listSessionEvents(fx.db, s.orgId, s.session.sessionId);
    expect(events.map((e) => e.type)).toEqual(['PR_OPENED']);
  });

  it('closes a PR: CLOSED, closedAt and one PR_CLOSED event naming who closed it; a closed PR cannot be merged', async () => {
    const s = await sessionWithAgentCommit();
    await s.forge.push({ worktree: s.worktree, branch: s.branch });
    const opened = await s.open();
    const closed = await s.forge.closePullRequest({ orgId: s.orgId, pullRequestId: opened.pullRequestId, closedBy: 'user-ada' });
    expect(closed).toMatchObject({ state: 'CLOSED', mergedAt: null });
    expect(closed.closedAt).toBeInstanceOf(Date);
    expect(await s.forge.closePullRequest({ orgId: s.orgId, pullRequestId: opened.pullRequestId, closedBy: 'user-bob' })).toEqual(closed);
    await expect(
      s.forge.mergePullRequest({ orgId: s.orgId, pullRequestId: opened.pullRequestId, mergedBy: 'user-ada' }),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    const events = await listSessionEvents(fx.db, s.orgId, s.session.sessionId);
    expect(events.map((e) => [e.type, e.data])).toEqual([
      ['PR_OPENED', expect.anything()],
      ['PR_CLOSED', { number: 1, closedBy: 'user-ada' }],
    ]);
  });

  it('resolves a relative Repository.localPath against reposDir', async () => {
    const origin = createOrigin(scratch.dir, 'relative');
    const { orgId, repositoryId } = await createOrgWithRepository(fx.db, { forge: 'LOCAL', localPath: 'relative.git', name: 'relative' });
    const session = await createSession(fx.db, { orgId, repositoryId });
    const { worktree, headSha } = cloneWithAgentCommit(origin, {
      root: scratch.dir,
      branch: 'parallax/relative',
      files: { 'a.txt': 'a\n' },
    });
    const forge = createLocalForge({ db: fx.db, reposDir: scratch.dir });
    await forge.push({ worktree, branch: 'parallax/relative' });
    const opened = await forge.openPullRequest({
      ...session,
      headBranch: 'parallax/relative',
      baseBranch: 'main',
      title: 't',
      body: 'b',
      stats: { filesChanged: 1, linesAdded: 1, linesDeleted: 0 },
    });
    expect(opened.headSha).toBe(headSha);
  });
});
