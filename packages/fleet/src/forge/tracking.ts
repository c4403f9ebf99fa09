// How a PR is recorded, whichever forge or channel reports it: the PullRequest row and
// the SessionEvents the metrics read (METRICS.md, "Pull requests"). Every write here is
// idempotent: events carry dedupe keys, so a retried activity or a redelivered webhook
// adds nothing.
import type { ForgeKind, PullRequestModel as PullRequest, PullRequestState, Tx } from '@parallax/db';
import { refreshSessionEvidence } from '@parallax/evidence';
import { recordSessionEvent } from '../sessions/events.ts';
import type { DiffStats } from './forge.ts';

export const PULL_REQUEST_EVENTS = { opened: 'PR_OPENED', merged: 'PR_MERGED', closed: 'PR_CLOSED' } as const;

export interface PullRequestRecord {
  orgId: string;
  sessionId: string;
  repositoryId: string;
  forge: ForgeKind;
  number: number;
  url: string;
  title: string;
  body: string;
  headBranch: string;
  baseBranch: string;
  headSha: string | null;
  stats: DiffStats;
  openedAt: Date;
}

/** What the forge says about a PR right now. Absent fields are unknown, not cleared. */
export interface ObservedPullRequest {
  state: PullRequestState;
  headSha?: string | null;
  mergedAt?: Date | null;
  mergedBy?: string | null;
  mergeSha?: string | null;
  closedAt?: Date | null;
  closedBy?: string | null;
  firstReviewAt?: Date | null;
}

/** Records the session's PR and PR_OPENED, unless the session already has one. */
export async function recordOpenedPullRequest(tx: Tx, record: PullRequestRecord): Promise<{ pullRequest: PullRequest; created: boolean }> {
  const existing = await tx.pullRequest.findUnique({ where: { sessionId: record.sessionId } });
  const pullRequest =
    existing ??
    (await tx.pullRequest.create({
      data: {
        orgId: record.orgId,
        sessionId: record.sessionId,
        repositoryId: record.repositoryId,
        forge: record.forge,
        number: record.number,
        url: record.url,
        title: record.title,
        body: record.body,
        headBranch: record.headBranch,
        baseBranch: record.baseBranch,
        headSha: record.headSha,
        filesChanged: record.stats.filesChanged,
        linesAdded: record.stats.linesAdded,
        linesDeleted: record.stats.linesDeleted,
        openedAt: record.openedAt,
      },
    }));
  await writeEvent(tx, pullRequest, PULL_REQUEST_EVENTS.opened, 'pr-opened', pullRequest.openedAt, {
    number: pullRequest.number,
    url: pullRequest.url,
    forge: pullRequest.forge,
    headSha: pullRequest.headSha,
  });
  return { pullRequest, created: !existing };
}

/**
 * Brings the row in line with what the forge observed and writes PR_MERGED / PR_CLOSED.
 * MERGED is final: a stale "open" or "closed" arriving after the merge is ignored.
 * `changed` is false when nothing was written (a redelivery).
 */
export async function applyObservedState(
  tx: Tx,
  pr: PullRequest,
  observed: ObservedPullRequest,
  options: { syncedAt?: Date } = {},
): Promise<{ pullRequest: PullRequest; changed: boolean }> {
  const now = options.syncedAt ?? new Date();
  const next = nextFields(pr, observed, now);
  const changed = Object.entries(next).some(([key, value]) => !sameValue(pr[key as keyof typeof next], value));
  const pullRequest =
    changed || options.syncedAt
      ? await tx.pullRequest.update({
          where: { id: pr.id },
          data: { ...next, ...(options.syncedAt && { lastSyncedAt: options.syncedAt }) },
        })
      : pr;

  let inserted = 0;
  if (pullRequest.state === 'MERGED' && pullRequest.mergedAt) {
    inserted = await writeEvent(tx, pullRequest, PULL_REQUEST_EVENTS.merged, 'pr-merged', pullRequest.mergedAt, {
      number: pullRequest.number,
      mergedBy: pullRequest.mergedBy,
      mergeSha: pullRequest.mergeSha,
    });
  } else if (pullRequest.state === 'CLOSED' && pullRequest.closedAt) {
    // Keyed by the closing time: a redelivery is a no-op, a close after a reopen is a new event.
    inserted = await writeEvent(
      tx,
      pullRequest,
      PULL_REQUEST_EVENTS.closed,
      `pr-closed:${pullRequest.closedAt.toISOString()}`,
      pullRequest.closedAt,
      {
        number: pullRequest.number,
        closedBy: observed.closedBy ?? null,
      },
    );
  }
  // A change no event marks (a review learnt after the merge) still moves the PR's figures.
  if (changed && inserted === 0) await refreshSessionEvidence(tx, pullRequest);
  return { pullRequest, changed: changed || inserted > 0 };
}

type TrackedFields = Pick<PullRequest, 'state' | 'headSha' | 'mergedAt' | 'mergedBy' | 'mergeSha' | 'closedAt' | 'firstReviewAt'>;

function nextFields(pr: PullRequest, observed: ObservedPullRequest, now: Date): TrackedFields {
  const firstReviewAt = pr.firstReviewAt ?? observed.firstReviewAt ?? null;
  if (pr.state === 'MERGED') {
    // Only fill in what an earlier, thinner report left out.
    return {
      ...current(pr),
      firstReviewAt,
      mergedBy: pr.mergedBy ?? observed.mergedBy ?? null,
      mergeSha: pr.mergeSha ?? observed.mergeSha ?? null,
    };
  }
  const headSha = observed.headSha ?? pr.headSha;
  if (observed.state === 'MERGED') {
    const mergedAt = observed.mergedAt ?? now;
    return {
      state: 'MERGED',
      headSha,
      mergedAt,
      mergedBy: observed.mergedBy ?? null,
      mergeSha: observed.mergeSha ?? null,
      closedAt: observed.closedAt ?? mergedAt,
      firstReviewAt,
    };
  }
  if (observed.state === 'CLOSED') {
    return { ...current(pr), state: 'CLOSED', headSha, closedAt: observed.closedAt ?? pr.closedAt ?? now, firstReviewAt };
  }
  return { ...current(pr), state: 'OPEN', headSha, closedAt: null, firstReviewAt };
}

function current(pr: PullRequest): TrackedFields {
  const { state, headSha, mergedAt, mergedBy, mergeSha, closedAt, firstReviewAt } = pr;
  return { state, headSha, mergedAt, mergedBy, mergeSha, closedAt, firstReviewAt };
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  return a === b;
}

async function writeEvent(
  tx: Tx,
  pr: PullRequest,
  type: (typeof PULL_REQUEST_EVENTS)[keyof typeof PULL_REQUEST_EVENTS],
  dedupeKey: string,
  at: Date,
  data: Record<string, string | number | null>,
) {
  return (await recordSessionEvent(tx, { orgId: pr.orgId, sessionId: pr.sessionId, type, at, data, dedupeKey })) ? 1 : 0;
}
