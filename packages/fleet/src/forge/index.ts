// Forges: where a session's branch is pushed and its pull request opened and tracked.
export type { DiffStats, Forge, OpenedPullRequest, OpenPullRequestOptions, TrackedPullRequest } from './forge.ts';
export { createLocalForge, type LocalForge, type LocalForgeOptions } from './local-forge.ts';
export {
  checkRepositoryUrl,
  orgForgeDir,
  repositoryPathsFromEnv,
  resolveOwnRepositoryPath,
  type RepositoryPaths,
} from './repository-paths.ts';
export { createGitHubForge, type GitHubAuth, type GitHubForgeOptions } from './github-forge.ts';
export {
  applyPullRequestEvent,
  parsePullRequestEvent,
  verifyGitHubSignature,
  type ApplyPullRequestEventResult,
  type PullRequestEvent,
} from './github-webhooks.ts';
export {
  assessRisk,
  buildPullRequestBody,
  readPullRequestMetadata,
  RISK_THRESHOLDS,
  type PullRequestBodyOptions,
  type Risk,
  type SuggestedAction,
  type TPullRequestMetadata,
} from './pull-request-body.ts';
export { diffStats } from './diff-stats.ts';
export { GitCommandError, MalformedWebhookError, MergeConflictError } from './errors.ts';
export { PULL_REQUEST_EVENTS } from './tracking.ts';
