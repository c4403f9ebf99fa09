// One run of a schedule: dispatch its task template through the SCHEDULE channel,
// unattended. `runRef` names the run (the Temporal workflow id of the run) and becomes
// the invocation's external reference, so a retried run finds what the first attempt
// wrote instead of dispatching a second time.
import type { Database } from '@parallax/db';
import { dispatchTask, type StartSessionWorkflow } from '../sessions/dispatch.ts';
import { ZTaskTemplate } from './task-schedules.ts';

export type ScheduledRunOutcome =
  | { outcome: 'DISPATCHED'; invocationId: string; sessionId: string; workflowId: string }
  /** The row is paused or gone: Temporal fired (a manual trigger, or a pause not yet seen), the product says no. */
  | { outcome: 'SKIPPED'; reason: 'PAUSED' | 'DELETED' }
  /** An earlier attempt of this run failed after recording its invocation; the error is on it. */
  | { outcome: 'FAILED'; invocationId: string; error: string };

/** A retry may meet an attempt still writing; past this age an invocation with no session was interrupted. */
const ATTEMPT_GRACE_MS = 2 * 60_000;

export class RunInProgress extends Error {
  override name = 'RunInProgress';
}

export async function dispatchScheduledRun(
  db: Database,
  run: { orgId: string; scheduleId: string; runRef: string },
  start: StartSessionWorkflow,
): Promise<ScheduledRunOutcome> {
  const { orgId } = run;
  const schedule = await db.forOrg(orgId, (tx) => tx.taskSchedule.findFirst({ where: { id: run.scheduleId, orgId } }));
  if (!schedule) return { outcome: 'SKIPPED', reason: 'DELETED' };
  if (schedule.paused) return { outcome: 'SKIPPED', reason: 'PAUSED' };

  const earlier = await db.forOrg(orgId, (tx) =>
    tx.invocation.findUnique({
      where: { orgId_channel_externalRef: { orgId, channel: 'SCHEDULE', externalRef: run.runRef } },
      include: { sessions: { select: { id: true, workflowId: true, status: true } } },
    }),
  );
  if (earlier) return resume(db, earlier, start);

  const { developerId, ...task } = ZTaskTemplate.parse(schedule.taskTemplate);
  const dispatched = await dispatchTask(
    db,
    {
      orgId,
      developerId,
      channel: 'SCHEDULE',
      actorUserId: null,
      actorExternal: `schedule:${schedule.id}`,
      externalRef: run.runRef,
      rawPayload: {
        scheduleId: schedule.id,
        name: schedule.name,
        cron: schedule.cron,
        runRef: run.runRef,
        taskTemplate: schedule.taskTemplate,
      },
      isUnattended: true,
    },
    task,
    start,
  );
  return { outcome: 'DISPATCHED', ...dispatched };
}

type EarlierInvocation = {
  id: string;
  orgId: string;
  receivedAt: Date;
  workflowStartedAt: Date | null;
  error: string | null;
  sessions: { id: string; workflowId: string; status: string }[];
};

/** Finishes what an earlier attempt of the same run began, without dispatching anew. */
async function resume(db: Database, invocation: EarlierInvocation, start: StartSessionWorkflow): Promise<ScheduledRunOutcome> {
  // The first attempt failed and said why (dispatchTask records it); the session, if any, has ended FAILED.
  if (invocation.error) return { outcome: 'FAILED', invocationId: invocation.id, error: invocation.error };
  const session = invocation.sessions[0];
  if (session) {
    // The attempt died between writing the session and starting its workflow: start it now.
    if (!invocation.workflowStartedAt && session.status === 'QUEUED') {
      await start({ workflowId: session.workflowId, orgId: invocation.orgId, sessionId: session.id });
      await db.forOrg(invocation.orgId, (tx) =>
        tx.invocation.update({ where: { id: invocation.id }, data: { workflowStartedAt: new Date() } }),
      );
    }
    return { outcome: 'DISPATCHED', invocationId: invocation.id, sessionId: session.id, workflowId: session.workflowId };
  }
  if (Date.now() - invocation.receivedAt.getTime() < ATTEMPT_GRACE_MS) {
    throw new RunInProgress('An earlier attempt of this run is still dispatching it.');
  }
  const error = 'interrupted after the invocation was recorded and before its task was written; this run was not dispatched';
  await db.forOrg(invocation.orgId, (tx) => tx.invocation.update({ where: { id: invocation.id }, data: { error } }));
  return { outcome: 'FAILED', invocationId: invocation.id, error };
}
