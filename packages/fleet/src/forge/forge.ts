// The one interface the session workflow's activities use, whichever forge hosts the
// repository. Both forges keep the PullRequest row and its SessionEvents (tracking.ts).
import type { PullRequestModel as PullRequest, PullRequestState } from '@parallax/db';

export interface DiffStats {
  filesChanged: number;
  linesAdded: number;
  linesDeleted: number;
}

export interface OpenPullRequestOptions {
  orgId: string;
  sessionId: string;
  repositoryId: string;
  headBranch: string;
  baseBranch: string;
  title: string;
  body: string;
  stats: DiffStats;
}

export interface OpenedPullRequest {
  pullRequestId: string;
  number: number;
  url: string;
  headSha: string | null;
  /** False when the PR already existed (a retried activity): nothing new was opened or recorded. */
  created: boolean;
}

/** A PR as Parallax tracks it: the PullRequest row after the latest sync. */
export interface TrackedPullRequest {
  pullRequestId: string;
  number: number;
  url: string;
  state: PullRequestState;
  headSha: string | null;
  openedAt: Date;
  firstReviewAt: Date | null;
  mergedAt: Date | null;
  mergedBy: string | null;
  mergeSha: string | null;
  closedAt: Date | null;
}

export interface Forge {
  /** Pushes the worktree's HEAD to `branch` on the origin of the org's repository (refused when the repository is not the org's own). */
  push(options: { orgId: string; repositoryId: string; worktree: string; branch: string }): Promise<{ headSha: string }>;
  /** Opens the session's PR, or finds and records the one a previous attempt opened. */
  openPullRequest(options: OpenPullRequestOptions): Promise<OpenedPullRequest>;
  /** Reads the PR's state from the forge and records any change (the polling fallback). */
  syncPullRequest(options: { orgId: string; sessionId: string }): Promise<TrackedPullRequest>;
}

export function toTrackedPullRequest(pr: PullRequest): TrackedPullRequest {
  return {
    pullRequestId: pr.id,
    number: pr.number,
    url: pr.url,
    state: pr.state,
    headSha: pr.headSha,
    openedAt: pr.openedAt,
    firstReviewAt: pr.firstReviewAt,
    mergedAt: pr.mergedAt,
    mergedBy: pr.mergedBy,
    mergeSha: pr.mergeSha,
    closedAt: pr.closedAt,
  };
}

export function toOpenedPullRequest(pr: PullRequest, created: boolean): OpenedPullRequest {
  return { pullRequestId: pr.id, number: pr.number, url: pr.url, headSha: pr.headSha, created };
}
