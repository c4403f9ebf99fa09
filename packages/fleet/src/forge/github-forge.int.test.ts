// The GitHub forge through the real Octokit against a local server that speaks the
// REST endpoints it uses; pushes go to a local bare repository through pushUrl.
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type DatabaseFixture, useTestDatabase } from '@parallax/db/test-database';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createOrgWithRepository, createSession, listSessionEvents } from '../../test/fixtures/forge/database-rows.ts';
import { type FakeGitHub, startFakeGitHub } from '../../test/fixtures/forge/fake-github.ts';
import { branchHead, cloneWithAgentCommit, createOrigin, makeScratchDir } from '../../test/fixtures/forge/git-repos.ts';
import { type GitHubAuth, createGitHubForge } from './github-forge.ts';

const OWNER = 'acme';
const REPO = 'api';
const TOKEN = 'ghp_testtokenthatmustnotleak';

let fx: DatabaseFixture;
const scratch = makeScratchDir();
const servers: FakeGitHub[] = [];
let counter = 0;

beforeAll(async () => {
  fx = await useTestDatabase();
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
afterAll(() => scratch.remove());

async function setUp(
  auth: (server: { app?: { appId: number; privateKey: string; installationId: number } }) => GitHubAuth = () => ({ token: TOKEN }),
) {
  const name = `gh-${++counter}`;
  const origin = createOrigin(scratch.dir, name);
  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    // GitHub hands out App keys as PKCS#1 ("BEGIN RSA PRIVATE KEY").
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
  const app = { appId: 1234, privateKey, installationId: 42 };
  const server = await startFakeGitHub({
    owner: OWNER,
    repo: REPO,
    token: TOKEN,
    app: { appId: app.appId, publicKeyPem: publicKey, installationId: app.installationId },
    resolveBranch: (branch) => {
      try {
        return branchHead(origin, branch);
      } catch {
        return null;
      }
    },
    firstNumber: 17,
  });
  servers.push(server);
  const { orgId, repositoryId } = await createOrgWithRepository(fx.db, {
    forge: 'GITHUB',
    url: `https://github.com/${OWNER}/${REPO}`,
    name,
  });
  const session = await createSession(fx.db, { orgId, repositoryId });
  const branch = `parallax/${name}`;
  const { worktree, headSha } = cloneWithAgentCommit(origin, {
    root: scratch.dir,
    branch,
    files: { 'src/greeting.ts': "export const greeting = 'bonjour';\n" },
  });
  const forge = createGitHubForge({ db: fx.db, owner: OWNER, repo: REPO, auth: auth({ app }), baseUrl: server.baseUrl, pushUrl: origin });
  const open = () =>
    forge.openPullRequest({
      ...session,
      headBranch: branch,
      baseBranch: 'main',
      title: 'Greet in French',
      body: 'Agent PR',
      stats: { filesChanged: 1, linesAdded: 1, linesDeleted: 1 },
    });
  const posts = () => server.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/pulls'));
  return { server, origin, orgId, session, branch, worktree, headSha, forge, open, posts };
}

describe('the GitHub forge', () => {
  it('pushes, opens one PR with pulls.create and records it with a PR_OPENED event', async () => {
    const s = await setUp();
    expect(await s.forge.push({ ...s.session, worktree: s.worktree, branch: s.branch })).toEqual({ headSha: s.headSha });
    const opened = await s.open();
    expect(opened).toMatchObject({ number: 17, url: `https://github.com/${OWNER}/${REPO}/pull/17`, headSha: s.headSha, created: true });
    expect(s.posts().map((r) => r.body)).toEqual([{ head: s.branch, base: 'main', title: 'Greet in French', body: 'Agent PR' }]);
    expect(s.server.requests.every((r) => r.headers.authorization === `token ${TOKEN}`)).toBe(true);
    expect(s.server.requests[0]?.query.get('head')).toBe(`${OWNER}:${s.branch}`);
    expect(s.server.requests[0]?.query.get('state')).toBe('all');

    expect(await s.open()).toEqual({ ...opened, created: false });
    expect(s.posts()).toHaveLength(1);
    const events = await listSessionEvents(fx.db, s.orgId, s.session.sessionId);
    expect(events.map((e) => e.type)).toEqual(['PR_OPENED']);
  });

  it('after a lost response, a retry finds the PR on GitHub and records it without a second POST', async () => {
    const s = await setUp();
    await s.forge.push({ ...s.session, worktree: s.worktree, branch: s.branch });
    s.server.loseNextResponse('POST', '/pulls');
    await expect(s.open()).rejects.toThrow();
    expect(s.server.pulls).toHaveLength(1);
    expect(await fx.db.forOrg(s.orgId, (tx) => tx.pullRequest.count({ where: { sessionId: s.session.sessionId } }))).toBe(0);

    const retried = await s.open();
    expect(retried).toMatchObject({ number: 17, headSha: s.headSha, created: false });
    expect(s.posts()).toHaveLength(1);
    expect(s.server.pulls).toHaveLength(1);
    const events = await listSessionEvents(fx.db, s.orgId, s.session.sessionId);
    expect(events.map((e) => e.type)).toEqual(['PR_OPENED']);
  });

  it('sync picks up the first review, merged_by and merged_at, and records PR_MERGED once', async () => {
    const s = await setUp();
    await s.forge.push({ ...s.session, worktree: s.worktree, branch: s.branch });
    await s.open();
    expect(await s.forge.syncPullRequest(s.session)).toMatchObject({ state: 'OPEN', firstReviewAt: null });

    // After the PR was opened (now), as on GitHub: events are listed in time order.
    const reviewedAt = new Date(Math.ceil(Date.now() / 1000) * 1000 + 60_000);
    const mergedAt = new Date(reviewedAt.getTime() + 45 * 60_000);
    s.server.addReview(17, { login: 'reviewer', at: reviewedAt.toISOString() });
    s.server.mergePull(17, { login: 'octocat', at: mergedAt.toISOString() });
    const synced = await s.forge.syncPullRequest(s.session);
    expect(synced).toMatchObject({
      state: 'MERGED',
      mergedBy: 'octocat',
      mergedAt,
      firstReviewAt: reviewedAt,
    });
    expect(synced.mergeSha).toMatch(/^[0-9a-f]{40}$/);
    expect(await s.forge.syncPullRequest(s.session)).toEqual(synced);

    const events = await listSessionEvents(fx.db, s.orgId, s.session.sessionId);
    expect(events.map((e) => [e.type, e.at])).toEqual([
      ['PR_OPENED', expect.any(Date)],
      ['PR_MERGED', mergedAt],
    ]);
    expect(events[1]?.data).toMatchObject({ mergedBy: 'octocat' });
    const row = await fx.db.forOrg(s.orgId, (tx) => tx.pullRequest.findUniqueOrThrow({ where: { sessionId: s.session.sessionId } }));
    expect(row.lastSyncedAt).toBeInstanceOf(Date);
  });

  it('as a GitHub App, mints an installation token with an RS256 JWT signed by its key and uses it', async () => {
    const s = await setUp(({ app }) => app!);
    await s.forge.push({ ...s.session, worktree: s.worktree, branch: s.branch });
    await s.open();

    const [mint, ...rest] = s.server.requests;
    expect(mint).toMatchObject({ method: 'POST', path: '/app/installations/42/access_tokens' });
    // The fake server refuses a JWT that is not RS256 or not signed by the App's key (fake-github.ts).
    expect(String(mint?.headers.authorization)).toMatch(/^bearer [\w-]+\.[\w-]+\.[\w-]+$/);
    const header = JSON.parse(Buffer.from(String(mint?.headers.authorization).split(' ')[1]!.split('.')[0]!, 'base64url').toString());
    expect(header).toEqual({ alg: 'RS256', typ: 'JWT' });
    expect(s.server.issuedTokens).toHaveLength(1);
    expect(rest.length).toBeGreaterThan(0);
    expect(rest.every((r) => r.headers.authorization === `token ${s.server.issuedTokens[0]}`)).toBe(true);
    expect(s.server.pulls).toHaveLength(1);
  });

  it('pushes over https with the token as a header scoped to the host, never in the URL or an error', async () => {
    const s = await setUp();
    const forge = createGitHubForge({
      db: fx.db,
      owner: OWNER,
      repo: REPO,
      auth: { token: TOKEN },
      baseUrl: s.server.baseUrl,
      pushUrl: `${s.server.baseUrl}/${OWNER}/${REPO}.git`,
    });
    const failure = await forge.push({ ...s.session, worktree: s.worktree, branch: s.branch }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(Error);
    const { message, stack } = failure as Error;
    expect(`${message} ${stack}`).not.toContain(TOKEN);
    const gitRequest = s.server.requests.find((r) => r.path === `/${OWNER}/${REPO}.git/info/refs`);
    expect(gitRequest?.headers.authorization).toBe(`basic ${Buffer.from(`x-access-token:${TOKEN}`).toString('base64')}`);
    expect(readFileSync(path.join(s.worktree, '.git', 'config'), 'utf8')).not.toMatch(/extraheader|x-access-token/i);
  });
});
