// GitHub's pull request object, as both the REST API (pulls.get, pulls.list,
// pulls.create) and the `pull_request` webhook carry it, read into the facts Parallax
// tracks. One reading for both paths, so a webhook and a poll record the same thing.
import { z } from 'zod';
import type { ObservedPullRequest } from './tracking.ts';

const ZTimestamp = z.iso.datetime({ offset: true }).transform((s) => new Date(s));

/** The fields we read; every other field GitHub sends is ignored. */
export const ZGitHubPullRequest = z.object({
  number: z.number().int().positive(),
  html_url: z.string(),
  state: z.enum(['open', 'closed']),
  created_at: ZTimestamp,
  closed_at: ZTimestamp.nullish(),
  merged_at: ZTimestamp.nullish(),
  /** Absent from pulls.list; there merged_at tells. */
  merged: z.boolean().nullish(),
  merged_by: z.object({ login: z.string() }).nullish(),
  merge_commit_sha: z.string().nullish(),
  head: z.object({ ref: z.string(), sha: z.string() }),
  base: z.object({ ref: z.string() }),
});
export type TGitHubPullRequest = z.infer<typeof ZGitHubPullRequest>;

export interface GitHubPullRequestFacts {
  number: number;
  url: string;
  state: 'open' | 'closed';
  headRef: string;
  headSha: string;
  baseRef: string;
  openedAt: Date;
  merged: boolean;
  mergedAt: Date | null;
  /** Null when GitHub did not say (pulls.list never does). */
  mergedBy: string | null;
  mergeSha: string | null;
  closedAt: Date | null;
}

export function readGitHubPullRequest(pull: TGitHubPullRequest): GitHubPullRequestFacts {
  const merged = pull.merged ?? pull.merged_at != null;
  return {
    number: pull.number,
    url: pull.html_url,
    state: pull.state,
    headRef: pull.head.ref,
    headSha: pull.head.sha,
    baseRef: pull.base.ref,
    openedAt: pull.created_at,
    merged,
    mergedAt: pull.merged_at ?? null,
    mergedBy: pull.merged_by?.login ?? null,
    // On an open PR merge_commit_sha is GitHub's test merge, not a merge.
    mergeSha: merged ? (pull.merge_commit_sha ?? null) : null,
    closedAt: pull.closed_at ?? null,
  };
}

export function observeGitHubPullRequest(
  facts: Omit<GitHubPullRequestFacts, 'url' | 'openedAt'>,
  closedBy?: string | null,
): ObservedPullRequest {
  if (facts.merged) {
    return {
      state: 'MERGED',
      headSha: facts.headSha,
      mergedAt: facts.mergedAt,
      mergedBy: facts.mergedBy,
      mergeSha: facts.mergeSha,
      closedAt: facts.closedAt,
    };
  }
  if (facts.state === 'closed') return { state: 'CLOSED', headSha: facts.headSha, closedAt: facts.closedAt, closedBy };
  return { state: 'OPEN', headSha: facts.headSha };
}

/** "owner/repo" (lower case) of a GitHub repository URL: https, ssh or scp-like, with or without .git. */
export function gitHubFullName(url: string): string | null {
  const match = /[/:]([^/:]+)\/([^/]+?)(?:\.git)?\/?$/.exec(url.trim());
  return match ? `${match[1]}/${match[2]}`.toLowerCase() : null;
}
