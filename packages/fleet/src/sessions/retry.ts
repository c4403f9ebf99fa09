// A retry dispatches an ended session's task again (as it was, or with a corrected prompt or
// another agent) as a new session linked to it. It stays the developer's work whoever retries
// it, on the same repository and task type. It is a new invocation with its own SLA window
// (the first one's still closes and counts on its own), and a human stepping in (METRICS.md
// "Intervention": a restart, a cancel-and-retry), so the retry never counts as work done
// without one.
import { type InterventionKind, isUniqueViolation, type SessionStatus, type TaskType, type Tx } from '@parallax/db';
import { invalid } from '@parallax/tenancy';
import { TERMINAL } from './lifecycle.ts';
import { getSessionRef, type Viewer } from './queries.ts';

/** The session a dispatch retries, named by whoever dispatches (who must be allowed to steer it). */
export interface RetryRequest {
  sessionId: string;
  viewer: Viewer;
}

/** A chain of tries longer than this is refused rather than followed. */
const MAX_TRIES = 50;

/**
 * What retrying `previous` counts as: cancel-and-retry after a cancel while it ran, a
 * restart after a failure or a time-out, nothing when its agent never ran (cancelled in
 * the queue, or a workflow that never started): there was no work to steer.
 */
export function retryIntervention(previous: { status: SessionStatus; startedAt: Date | null }): InterventionKind | null {
  if (!previous.startedAt) return null;
  return previous.status === 'CANCELLED' ? 'CANCEL_AND_RETRY' : 'RESTART';
}

/**
 * The try to retry: the named session if the viewer may steer it, or, when it was retried
 * already, the latest try of its chain (so a second "retry" from an old page is still
 * counted). It must have ended without success, and the task must stay on its repository and
 * task type (a retry is not a way to a longer SLA window).
 */
export async function resolveRetry(tx: Tx, orgId: string, retry: RetryRequest, task: { repositoryId: string; taskType: TaskType }) {
  await getSessionRef(tx, { orgId, sessionId: retry.sessionId, viewer: retry.viewer });
  let previous = await loadTry(tx, retry.sessionId);
  for (let hops = 0; previous.retriedAs; hops++) {
    if (hops >= MAX_TRIES) throw invalid(`This task was retried more than ${MAX_TRIES} times; dispatch a new one.`);
    previous = await loadTry(tx, previous.retriedAs.id);
  }
  const latest = previous.id === retry.sessionId ? 'The session to retry' : 'Its latest try';
  if (!TERMINAL.includes(previous.status)) throw invalid(`${latest} has not ended; send it a correction, or cancel it first.`);
  if (previous.status === 'SUCCEEDED') throw invalid(`${latest} succeeded; dispatch a new task instead.`);
  if (task.repositoryId !== previous.repositoryId) throw invalid('A retry works on the same repository; dispatch a new task for another.');
  if (task.taskType !== previous.task.taskType)
    throw invalid(`A retry keeps the task type (${previous.task.taskType.toLowerCase()}), and with it the SLA.`);
  return { sessionId: previous.id, developerId: previous.developerId, intervention: retryIntervention(previous) };
}

/** How long after an unsuccessful end the same task, dispatched again as new, is still its retry. */
export const REPEAT_WINDOW_MS = 24 * 60 * 60_000;

/**
 * The same task dispatched again as a new one (the same developer, repository, task type and
 * prompt) after its last try ended without success, within REPEAT_WINDOW_MS, is a retry all the
 * same: linked and counted, so the figures do not depend on which button was pressed.
 */
export async function repeatedTry(
  tx: Tx,
  orgId: string,
  developerId: string,
  task: { repositoryId: string; taskType: TaskType; prompt: string },
  now: Date,
) {
  const earlier = await tx.agentSession.findFirst({
    where: {
      orgId,
      developerId,
      repositoryId: task.repositoryId,
      status: { in: ['FAILED', 'CANCELLED', 'TIMED_OUT'] },
      endedAt: { gte: new Date(now.getTime() - REPEAT_WINDOW_MS) },
      retriedAs: null,
      task: { taskType: task.taskType, prompt: task.prompt },
    },
    orderBy: { endedAt: 'desc' },
    select: { id: true, status: true, startedAt: true, developerId: true },
  });
  return earlier ? { sessionId: earlier.id, developerId: earlier.developerId, intervention: retryIntervention(earlier) } : null;
}

const loadTry = (tx: Tx, id: string) =>
  tx.agentSession.findUniqueOrThrow({
    where: { id },
    include: { retriedAs: { select: { id: true } }, task: { select: { taskType: true } } },
  });

/** Two retries of one session at once: its unique link lets one through, the other reads as this. */
export function asRetryConflict(error: unknown): unknown {
  const onLink = isUniqueViolation(error) && JSON.stringify((error as { meta?: unknown }).meta ?? null).includes('retryOfId');
  return onLink ? invalid('That session was retried a moment ago; open its retry.') : error;
}
