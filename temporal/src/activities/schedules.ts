// A schedule's run meets the product here: the knowledge lives in @parallax/fleet
// (dispatchScheduledRun); this adds the run's identity (its workflow id) and starts the
// session's workflow with the worker's own client.
import { dispatchScheduledRun, type ScheduledRunOutcome } from '@parallax/fleet';
import { AppError } from '@parallax/tenancy';
import { Context, log } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { ZodError } from 'zod';
import { createFleetEngine } from '../client.ts';
import type { ActivityDeps } from './index.ts';

export function createScheduleActivities({ db }: ActivityDeps) {
  return {
    /** Dispatches one run of a schedule, once; a paused or deleted schedule dispatches nothing. */
    async dispatchScheduled(input: { orgId: string; scheduleId: string }): Promise<ScheduledRunOutcome> {
      const ctx = Context.current();
      // The run's workflow id (the schedule's id plus the run's time) names the run.
      const runRef = ctx.info.workflowExecution?.workflowId;
      if (!runRef) throw ApplicationFailure.nonRetryable('dispatchScheduled runs only inside a scheduled workflow', 'NoWorkflow');
      const fleet = createFleetEngine(ctx.client);
      let outcome: ScheduledRunOutcome;
      try {
        outcome = await dispatchScheduledRun(db, { ...input, runRef }, (args) => fleet.startSession(args));
      } catch (err) {
        // A person's mistake (the repository was removed, the developer left) will not fix itself on retry.
        if ((err instanceof AppError && err.code !== 'CONFLICT') || err instanceof ZodError)
          throw ApplicationFailure.nonRetryable(err.message, err instanceof AppError ? err.code : 'INVALID');
        throw err;
      }
      if (outcome.outcome === 'FAILED') throw ApplicationFailure.nonRetryable(outcome.error, 'DispatchFailed');
      log.info('scheduled run', { ...input, runRef, ...outcome });
      return outcome;
    },
  };
}
