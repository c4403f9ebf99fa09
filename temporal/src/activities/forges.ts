// Which forge hosts a repository, built from the worker's configuration: the local
// forge needs nothing; GitHub needs a token or a GitHub App (GITHUB_TOKEN, or
// GITHUB_APP_ID + GITHUB_APP_PRIVATE_KEY with the repository's installation id).
import type { Database, RepositoryModel } from '@parallax/db';
import { createGitHubForge, createLocalForge, type Forge, type GitHubAuth } from '@parallax/fleet/forge';
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';

export interface ForgeConfig {
  github?: {
    /** REST API root (GitHub Enterprise: https://host/api/v3). */
    baseUrl?: string;
    token?: string;
    app?: { appId: string; privateKey: string };
    /** Tests: push to this directory's `<owner>/<repo>.git` instead of the API host. */
    pushRoot?: string;
  };
}

const ZGitHubEnv = z.object({
  GITHUB_API_URL: z.url().optional(),
  GITHUB_TOKEN: z.string().min(1).optional(),
  GITHUB_APP_ID: z.string().regex(/^\d+$/, 'GITHUB_APP_ID must be the numeric App id').optional(),
  GITHUB_APP_PRIVATE_KEY: z.string().includes('PRIVATE KEY', { message: 'GITHUB_APP_PRIVATE_KEY must be a PEM key' }).optional(),
});

/** The worker's forge settings from its environment. */
export function forgeConfigFromEnv(env: NodeJS.ProcessEnv): ForgeConfig {
  const parsed = ZGitHubEnv.parse(env);
  return {
    github: {
      baseUrl: parsed.GITHUB_API_URL,
      token: parsed.GITHUB_TOKEN,
      app:
        parsed.GITHUB_APP_ID && parsed.GITHUB_APP_PRIVATE_KEY
          ? { appId: parsed.GITHUB_APP_ID, privateKey: parsed.GITHUB_APP_PRIVATE_KEY.replaceAll('\\n', '\n') }
          : undefined,
    },
  };
}

/** `owner/repo` of a GitHub repository URL (https or ssh form). */
export function githubRepoOf(url: string): { owner: string; repo: string } | null {
  const m = /^(?:https?:\/\/[^/]+\/|git@[^:]+:|ssh:\/\/git@[^/]+\/)([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+?)(?:\.git)?\/?$/.exec(url.trim());
  return m?.[1] && m[2] ? { owner: m[1], repo: m[2] } : null;
}

export function forgeFor(db: Database, config: ForgeConfig): (repository: RepositoryModel) => Promise<Forge> {
  const local = createLocalForge({ db });
  return async (repository) => {
    if (repository.forge === 'LOCAL') return local;
    const where = repository.url ? githubRepoOf(repository.url) : null;
    if (!where)
      throw ApplicationFailure.nonRetryable(
        `repository ${repository.name} has no GitHub URL (https://github.com/owner/repo)`,
        'ForgeConfig',
      );
    const github = config.github ?? {};
    let auth: GitHubAuth;
    if (github.app && repository.githubInstallationId) {
      auth = { appId: github.app.appId, privateKey: github.app.privateKey, installationId: repository.githubInstallationId };
    } else if (github.token) {
      auth = { token: github.token };
    } else {
      throw ApplicationFailure.nonRetryable(
        `repository ${repository.name} is on GitHub, but the worker has no GitHub credentials (GITHUB_TOKEN, or GITHUB_APP_ID and GITHUB_APP_PRIVATE_KEY with the repository's installation id)`,
        'ForgeConfig',
      );
    }
    return createGitHubForge({
      db,
      ...where,
      auth,
      baseUrl: github.baseUrl,
      pushUrl: github.pushRoot ? `${github.pushRoot}/${where.owner}/${where.repo}.git` : undefined,
    });
  };
}
