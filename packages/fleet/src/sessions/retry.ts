// A retry dispatches an ended session's task again (as it was, or corrected) as a new
// session linked to it. It is a new invocation with its own SLA window (the first one's
// still closes and counts on its own), and a human stepping in (METRICS.md "Intervention":
// a restart, a cancel-and-retry), so the retry never counts as work done without one.
import { type InterventionKind, isUniqueViolation, type SessionStatus, type Tx } from '@parallax/db';
import { invalid } from '@parallax/tenancy';
import { TERMINAL } from './lifecycle.ts';
import { getSessionRef, type Viewer } from './queries.ts';

/** The session a dispatch retries, named by whoever dispatches (who must be allowed to steer it). */
export interface RetryRequest {
  sessionId: string;
  viewer: Viewer;
}

/**
 * What retrying `previous` counts as: cancel-and-retry after a cancel while it ran, a
 * restart after a failure or a time-out, nothing when its agent never ran (cancelled in
 * the queue, or a workflow that never started): there was no work to steer.
 */
export function retryIntervention(previous: { status: SessionStatus; startedAt: Date | null }): InterventionKind | null {
  if (!previous.startedAt) return null;
  return previous.status === 'CANCELLED' ? 'CANCEL_AND_RETRY' : 'RESTART';
}

/** The session to retry, if it may be: seen by the viewer, ended without success, not retried yet. */
export async function resolveRetry(tx: Tx, orgId: string, retry: RetryRequest) {
  await getSessionRef(tx, { orgId, sessionId: retry.sessionId, viewer: retry.viewer });
  const previous = await tx.agentSession.findUniqueOrThrow({
    where: { id: retry.sessionId },
    include: { retriedAs: { select: { id: true } } },
  });
  if (!TERMINAL.includes(previous.status)) throw invalid('The session to retry has not ended; send it a correction, or cancel it first.');
  if (previous.status === 'SUCCEEDED') throw invalid('The session to retry succeeded; dispatch a new task instead.');
  if (previous.retriedAs) throw alreadyRetried();
  return { sessionId: previous.id, intervention: retryIntervention(previous) };
}

/** Two retries of one session at once: its unique link lets one through, the other reads as this. */
export function asRetryConflict(error: unknown): unknown {
  return isUniqueViolation(error) ? alreadyRetried() : error;
}

const alreadyRetried = () => invalid('That session was already retried; retry the latest try instead.');
