// GitHub through @octokit/rest, as a personal/installation token or as a GitHub App
// (installation tokens minted and refreshed by @octokit/auth-app). The token never
// reaches a log, an error message or git's command line: git gets it as an HTTP header
// through GIT_CONFIG_* environment variables, the way actions/checkout does.
import { createAppAuth } from '@octokit/auth-app';
import { Octokit } from '@octokit/rest';
import { type Database, isUniqueViolation } from '@parallax/db';
import { notFound } from '@parallax/tenancy';
import { type Forge, type OpenPullRequestOptions, toOpenedPullRequest, toTrackedPullRequest } from './forge.ts';
import { git } from './git.ts';
import { type GitHubPullRequestFacts, observeGitHubPullRequest, readGitHubPullRequest, ZGitHubPullRequest } from './github-pull-request.ts';
import { applyObservedState, recordOpenedPullRequest } from './tracking.ts';

export type GitHubAuth = { token: string } | { appId: number | string; privateKey: string; installationId: number };

export interface GitHubForgeOptions {
  db: Database;
  owner: string;
  repo: string;
  auth: GitHubAuth;
  /** REST API root; default https://api.github.com (GitHub Enterprise: https://host/api/v3). */
  baseUrl?: string;
  /** Where `push` pushes; default https://github.com/<owner>/<repo>.git (tests: a local bare repository). */
  pushUrl?: string;
}

const DEFAULT_BASE_URL = 'https://api.github.com';

export function createGitHubForge(options: GitHubForgeOptions): Forge {
  const { db, owner, repo } = options;
  const baseUrl = options.baseUrl ?? DEFAULT_BASE_URL;
  const octokit =
    'token' in options.auth
      ? new Octokit({ baseUrl, userAgent: 'parallax-fleet', auth: options.auth.token })
      : new Octokit({ baseUrl, userAgent: 'parallax-fleet', authStrategy: createAppAuth, auth: { ...options.auth } });
  const pushUrl = options.pushUrl ?? `${webOrigin(baseUrl)}/${owner}/${repo}.git`;

  async function accessToken(): Promise<string> {
    // Token auth ignores the argument; App auth returns a cached or fresh installation token.
    const { token } = (await octokit.auth({ type: 'installation' })) as { token: string };
    return token;
  }

  async function findPullRequest(headBranch: string): Promise<GitHubPullRequestFacts | null> {
    const { data } = await octokit.rest.pulls.list({ owner, repo, head: `${owner}:${headBranch}`, state: 'all', per_page: 100 });
    const pulls = data.map((pull) => readGitHubPullRequest(ZGitHubPullRequest.parse(pull)));
    return pulls.find((p) => p.state === 'open') ?? pulls[0] ?? null;
  }

  async function createPullRequest(o: OpenPullRequestOptions): Promise<{ facts: GitHubPullRequestFacts; created: boolean }> {
    // A previous attempt may have opened it and died before recording it.
    const found = await findPullRequest(o.headBranch);
    if (found) return { facts: found, created: false };
    try {
      const { data } = await octokit.rest.pulls.create({
        owner,
        repo,
        head: o.headBranch,
        base: o.baseBranch,
        title: o.title,
        body: o.body,
      });
      return { facts: readGitHubPullRequest(ZGitHubPullRequest.parse(data)), created: true };
    } catch (error) {
      // 422: one already exists for this head (a concurrent attempt); use it.
      const again = statusOf(error) === 422 ? await findPullRequest(o.headBranch) : null;
      if (!again) throw error;
      return { facts: again, created: false };
    }
  }

  async function openPullRequest(o: OpenPullRequestOptions) {
    const existing = await db.forOrg(o.orgId, (tx) => tx.pullRequest.findUnique({ where: { sessionId: o.sessionId } }));
    if (existing) return toOpenedPullRequest(existing, false);
    const { facts, created } = await createPullRequest(o);
    try {
      return await db.forOrg(o.orgId, async (tx) => {
        const recorded = await recordOpenedPullRequest(tx, {
          ...o,
          forge: 'GITHUB',
          number: facts.number,
          url: facts.url,
          headSha: facts.headSha,
          openedAt: facts.openedAt,
        });
        // It may have been merged or closed before we got to record it.
        const { pullRequest } = await applyObservedState(tx, recorded.pullRequest, observeGitHubPullRequest(facts));
        return toOpenedPullRequest(pullRequest, created && recorded.created);
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const pr = await db.forOrg(o.orgId, (tx) => tx.pullRequest.findUnique({ where: { sessionId: o.sessionId } }));
      if (!pr) throw error;
      return toOpenedPullRequest(pr, false);
    }
  }

  async function syncPullRequest({ orgId, sessionId }: { orgId: string; sessionId: string }) {
    const pr = await db.forOrg(orgId, (tx) => tx.pullRequest.findUnique({ where: { sessionId } }));
    if (!pr) throw notFound('pull request');
    const { data } = await octokit.rest.pulls.get({ owner, repo, pull_number: pr.number });
    const observed = observeGitHubPullRequest(readGitHubPullRequest(ZGitHubPullRequest.parse(data)));
    const firstReviewAt = pr.firstReviewAt ?? (await findFirstReviewAt(pr.number));
    return db.forOrg(orgId, async (tx) => {
      const fresh = await tx.pullRequest.findUniqueOrThrow({ where: { id: pr.id } });
      const { pullRequest } = await applyObservedState(tx, fresh, { ...observed, firstReviewAt }, { syncedAt: new Date() });
      return toTrackedPullRequest(pullRequest);
    });
  }

  /** For review latency (METRICS.md, "Pull requests"): when the first review was submitted. */
  async function findFirstReviewAt(pullNumber: number): Promise<Date | null> {
    const { data } = await octokit.rest.pulls.listReviews({ owner, repo, pull_number: pullNumber, per_page: 100 });
    const times = data.flatMap((r) => (r.submitted_at ? [new Date(r.submitted_at).getTime()] : []));
    return times.length > 0 ? new Date(Math.min(...times)) : null;
  }

  return {
    async push({ worktree, branch }) {
      const isHttp = /^https?:\/\//i.test(pushUrl);
      const token = isHttp ? await accessToken() : null;
      const auth = token ? gitHttpAuth(pushUrl, token) : { env: {}, secrets: [] };
      await git(['push', '--quiet', '--no-verify', pushUrl, `HEAD:refs/heads/${branch}`], { cwd: worktree, ...auth });
      return { headSha: (await git(['rev-parse', 'HEAD'], { cwd: worktree })).trim() };
    },
    openPullRequest,
    syncPullRequest,
  };
}

/** git credentials for GitHub over https, as an Authorization header scoped to that host. */
export function gitHttpAuth(url: string, token: string): { env: Record<string, string>; secrets: string[] } {
  const basic = Buffer.from(`x-access-token:${token}`).toString('base64');
  // Appended after any GIT_CONFIG_* entries the worker already has.
  const index = Number(process.env.GIT_CONFIG_COUNT ?? 0) || 0;
  return {
    env: {
      GIT_CONFIG_COUNT: String(index + 1),
      [`GIT_CONFIG_KEY_${index}`]: `http.${new URL(url).origin}/.extraheader`,
      [`GIT_CONFIG_VALUE_${index}`]: `AUTHORIZATION: basic ${basic}`,
    },
    secrets: [token, basic],
  };
}

/** https://api.github.com → https://github.com; GitHub Enterprise https://host/api/v3 → https://host. */
function webOrigin(baseUrl: string): string {
  const url = new URL(baseUrl);
  return url.hostname === 'api.github.com' ? 'https://github.com' : url.origin;
}

function statusOf(error: unknown): number | undefined {
  return typeof error === 'object' && error !== null && 'status' in error && typeof error.status === 'number' ? error.status : undefined;
}
