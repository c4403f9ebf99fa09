// A workflow whose session is no longer in the database (the database was reset while
// Temporal kept its workflows, or the org was deleted) ends at once with that reason,
// instead of retrying an activity forever.
import { randomUUID } from 'node:crypto';
import { WorkflowFailedError } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { TASK_QUEUE } from '../config.ts';
import { useFleetWorker } from '../test-fleet-worker.ts';

const worker = useFleetWorker('orphaned');

async function failureOf(args: Record<string, unknown>) {
  const handle = await worker.client.workflow.start('agentSession', {
    taskQueue: TASK_QUEUE,
    workflowId: `session-${randomUUID()}`,
    args: [args],
  });
  const error = await handle.result().then(
    () => null,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(WorkflowFailedError);
  let cause: unknown = error;
  while (cause && typeof cause === 'object' && 'cause' in cause && (cause as { cause?: unknown }).cause)
    cause = (cause as { cause: unknown }).cause;
  const history = await handle.fetchHistory();
  const failedAttempts = (history.events ?? []).filter((e) => e.activityTaskFailedEventAttributes).length;
  return { cause: cause as { type?: string; message: string }, failedAttempts };
}

describe('a session whose record is gone', () => {
  it('ends its workflow with that reason after one attempt', async () => {
    const { cause, failedAttempts } = await failureOf({ orgId: 'org-gone', sessionId: randomUUID() });
    expect(cause.type).toBe('SessionGone');
    expect(cause.message).toMatch(/is no longer in the database/);
    expect(failedAttempts).toBe(1);
  });

  it('ends a PR follow-up too, instead of polling forever', async () => {
    const { cause, failedAttempts } = await failureOf({
      orgId: 'org-gone',
      sessionId: randomUUID(),
      following: { outcome: 'SUCCEEDED', pullRequest: { number: 1, url: 'local://1' } },
    });
    expect(cause.type).toBe('SessionGone');
    expect(failedAttempts).toBe(1);
  });
});
