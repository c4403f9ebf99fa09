// One run of a Temporal Schedule (created by the fleet engine in client.ts): dispatch
// the schedule's task through the SCHEDULE channel. The agent session is its own
// workflow, started by the activity, so this run ends as soon as the task is handed over.
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.ts';

export interface ScheduledDispatchInput {
  orgId: string;
  /** The TaskSchedule row's id. */
  scheduleId: string;
}

const { dispatchScheduled } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  // Safe to retry: a retried attempt finds the invocation the first one wrote (by the
  // run's workflow id) and finishes it instead of dispatching again.
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s', maximumAttempts: 10 },
});

export async function scheduledDispatch(input: ScheduledDispatchInput) {
  return await dispatchScheduled(input);
}
