// The local forge end to end: real git (bare origin, agent clone), real PostgreSQL.
import { mkdirSync, symlinkSync } from 'node:fs';
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
    expect(await s.forge.push({ ...s.session, worktree: s.worktree, branch: s.branch })).toEqual({ headSha: s.headSha });
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
    await s.forge.push({ ...s.session, worktree: s.worktree, branch: s.branch });
    const first = await s.open();
    const again = await s.open();
    expect(again).toEqual({ ...first, created: false });
    expect(await s.forge.push({ ...s.session, worktree: s.worktree, branch: s.branch })).toEqual({ headSha: s.headSha });
    const events = await listSessionEvents(fx.db, s.orgId, s.session.sessionId);
    expect(events.filter((e) => e.type === 'PR_OPENED')).toHaveLength(1);
  });

  it('refuses to open a PR for a branch that was never pushed', async () => {
    const s = await sessionWithAgentCommit();
    await expect(s.open()).rejects.toMatchObject({ code: 'INVALID' });
  });

  it('numbers PRs per repository, also when two sessions open at once', async () => {
    const s = await sessionWithAgentCommit();
    await s.forge.push({ ...s.session, worktree: s.worktree, branch: s.branch });
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
    await s.forge.push({ ...s.session, worktree: s.worktree, branch: s.branch });
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
    await s.forge.push({ ...s.session, worktree: s.worktree, branch: s.branch });
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
    await s.forge.push({ ...s.session, worktree: s.worktree, branch: s.branch });
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
    await s.forge.push({ ...s.session, worktree: s.worktree, branch: s.branch });
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

  it('resolves a relative Repository.localPath in the org’s own forge folder', async () => {
    const dataDir = path.join(scratch.dir, 'data-relative');
    const { orgId, repositoryId } = await createOrgWithRepository(fx.db, { forge: 'LOCAL', localPath: 'relative.git', name: 'relative' });
    mkdirSync(path.join(dataDir, 'forge', orgId), { recursive: true });
    const origin = createOrigin(path.join(dataDir, 'forge', orgId), 'relative');
    const session = await createSession(fx.db, { orgId, repositoryId });
    const { worktree, headSha } = cloneWithAgentCommit(origin, {
      root: scratch.dir,
      branch: 'parallax/relative',
      files: { 'a.txt': 'a\n' },
    });
    const forge = createLocalForge({ db: fx.db, repositoryPaths: { dataDir, roots: [] } });
    await forge.push({ ...session, worktree, branch: 'parallax/relative' });
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

describe('the local forge keeps each org to its own repositories', () => {
  /** Org A with a repository in its forge folder, an open PR on it, and org B's forge beside it. */
  async function twoOrgs() {
    const dataDir = path.join(scratch.dir, `data-${++counter}`);
    const paths = { dataDir, roots: [] };
    const a = await createOrgWithRepository(fx.db, { forge: 'LOCAL', localPath: 'placeholder', name: 'app' });
    const aForge = path.join(dataDir, 'forge', a.orgId);
    mkdirSync(aForge, { recursive: true });
    const aOrigin = createOrigin(aForge, 'app');
    await fx.db.forOrg(a.orgId, (tx) => tx.repository.update({ where: { id: a.repositoryId }, data: { localPath: aOrigin } }));
    const aSession = await createSession(fx.db, a);
    const forge = createLocalForge({ db: fx.db, repositoryPaths: paths });
    const agent = cloneWithAgentCommit(aOrigin, { root: scratch.dir, branch: `parallax/a-${counter}`, files: { 'a.txt': 'a\n' } });
    await forge.push({ ...aSession, worktree: agent.worktree, branch: `parallax/a-${counter}` });
    const aPr = await forge.openPullRequest({
      ...aSession,
      headBranch: `parallax/a-${counter}`,
      baseBranch: 'main',
      title: 'A’s change',
      body: 'b',
      stats: { filesChanged: 1, linesAdded: 1, linesDeleted: 0 },
    });
    mkdirSync(path.join(dataDir, 'forge', 'org-b-folder'), { recursive: true });
    return { dataDir, paths, a, aOrigin, aSession, aPr, forge, agent };
  }

  /** Org B whose repository row points at `localPath` (as a row written before the checks, or by hand). */
  async function orgBPointingAt(localPath: string, w: Awaited<ReturnType<typeof twoOrgs>>) {
    const b = await createOrgWithRepository(fx.db, { forge: 'LOCAL', localPath, name: 'stolen' });
    const session = await createSession(fx.db, b);
    const branch = `parallax/b-${++counter}`;
    const { worktree } = cloneWithAgentCommit(w.aOrigin, { root: scratch.dir, branch, files: { 'evil.txt': 'x\n' } });
    return { b, session, branch, worktree };
  }

  it('refuses to push to, open a PR on or read another org’s forge repository named by path, symlink or `..`', async () => {
    const w = await twoOrgs();
    const link = path.join(w.dataDir, 'forge', 'link-to-a.git');
    symlinkSync(w.aOrigin, link);
    const dotdot = path.join(w.dataDir, 'forge', 'org-b-folder', '..', w.a.orgId, 'app.git');
    for (const localPath of [w.aOrigin, link, dotdot, `../${w.a.orgId}/app.git`]) {
      const b = await orgBPointingAt(localPath, w);
      await expect(w.forge.push({ ...b.session, worktree: b.worktree, branch: b.branch })).rejects.toMatchObject({
        code: 'INVALID',
        message: expect.stringMatching(/not a repository of this organization's local forge/),
      });
      await expect(
        w.forge.openPullRequest({
          ...b.session,
          headBranch: 'main',
          baseBranch: 'main',
          title: 't',
          body: 'b',
          stats: { filesChanged: 0, linesAdded: 0, linesDeleted: 0 },
        }),
      ).rejects.toMatchObject({ code: 'INVALID' });
    }
    // Nothing reached org A's repository.
    expect(gitIn(w.aOrigin, ['for-each-ref', '--format=%(refname)']).split('\n').sort()).toEqual([
      'refs/heads/main',
      `refs/heads/parallax/a-${counter - 4}`,
    ]);
  });

  it('refuses the data folder itself as a repository', async () => {
    const w = await twoOrgs();
    for (const localPath of [w.dataDir, path.join(w.dataDir, 'forge')]) {
      const b = await orgBPointingAt(localPath, w);
      await expect(w.forge.push({ ...b.session, worktree: b.worktree, branch: b.branch })).rejects.toMatchObject({ code: 'INVALID' });
    }
  });

  it('does not merge or close another org’s PR named by id, and refuses a PR whose repository left the org’s forge', async () => {
    const w = await twoOrgs();
    const b = await createOrgWithRepository(fx.db, { forge: 'LOCAL', localPath: 'none', name: 'b' });
    const mainBefore = branchHead(w.aOrigin, 'main');
    await expect(w.forge.mergePullRequest({ orgId: b.orgId, pullRequestId: w.aPr.pullRequestId, mergedBy: 'b' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(w.forge.closePullRequest({ orgId: b.orgId, pullRequestId: w.aPr.pullRequestId, closedBy: 'b' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(w.forge.push({ ...w.aSession, orgId: b.orgId, worktree: w.agent.worktree, branch: 'x' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(branchHead(w.aOrigin, 'main')).toBe(mainBefore);

    // A's own row re-pointed (by hand) into another org's folder: A's forge refuses too.
    const elsewhere = createOrigin(path.join(w.dataDir, 'forge', 'org-b-folder'), 'other');
    await fx.db.forOrg(w.a.orgId, (tx) => tx.repository.update({ where: { id: w.a.repositoryId }, data: { localPath: elsewhere } }));
    await expect(w.forge.mergePullRequest({ orgId: w.a.orgId, pullRequestId: w.aPr.pullRequestId, mergedBy: 'a' })).rejects.toMatchObject({
      code: 'INVALID',
    });
    await expect(w.forge.closePullRequest({ orgId: w.a.orgId, pullRequestId: w.aPr.pullRequestId, closedBy: 'a' })).rejects.toMatchObject({
      code: 'INVALID',
    });
    await fx.db.forOrg(w.a.orgId, (tx) => tx.repository.update({ where: { id: w.a.repositoryId }, data: { localPath: w.aOrigin } }));
    expect(await w.forge.mergePullRequest({ orgId: w.a.orgId, pullRequestId: w.aPr.pullRequestId, mergedBy: 'a' })).toMatchObject({
      state: 'MERGED',
    });
  });
});
