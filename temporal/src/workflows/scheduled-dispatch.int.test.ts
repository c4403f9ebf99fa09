// Schedules end to end on the real Temporal dev server, real git and real PostgreSQL:
// a schedule made through the domain and the fleet engine fires (a manual trigger
// stands in for the clock), its run dispatches an unattended SCHEDULE session, and
// that session's workflow runs the script agent to a pull request.
import type { Database } from '@parallax/db';
import {
  createTaskSchedule,
  deleteTaskSchedule,
  listTaskSchedules,
  pauseTaskSchedule,
  resumeTaskSchedule,
  type ScheduledRunOutcome,
  temporalScheduleIdOf,
} from '@parallax/fleet';
import { createFleetOrg, createOriginRepo, until } from '@parallax/fleet/testing';
import { AppError } from '@parallax/tenancy';
import { type Client, ScheduleNotFoundError } from '@temporalio/client';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FleetEngine } from '../client.ts';
import { TASK_QUEUE } from '../config.ts';
import { useFleetWorker } from '../test-fleet-worker.ts';
import type { SessionStatusView } from './agent-session.ts';

const worker = useFleetWorker('scheduled');
let db: Database;
let client: Client;
let fleet: FleetEngine;
let reposDir: string;
beforeAll(() => {
  ({ db, client, fleet, reposDir } = worker);
});

async function setUp() {
  const origin = await createOriginRepo(reposDir, { 'README.md': '# fixture\n' });
  return createFleetOrg(db, { repository: { localPath: origin.path } });
}
type Org = Awaited<ReturnType<typeof setUp>>;

function nightly(org: Org, overrides: Record<string, unknown> = {}) {
  return createTaskSchedule(db, fleet, {
    orgId: org.orgId,
    actorUserId: org.developerId,
    schedule: {
      name: 'nightly greeting',
      cron: '0 3 * * *',
      repositoryId: org.repositoryId,
      developerId: org.developerId,
      title: 'scheduled greeting',
      prompt: JSON.stringify({ steps: [{ write: { path: 'scheduled.txt', content: 'from the schedule\n' } }], summary: 'wrote it' }),
      ...overrides,
    },
  });
}

const scheduleHandle = (scheduleId: string) => client.schedule.getHandle(temporalScheduleIdOf(scheduleId));
const invocations = (org: Org) =>
  db.forOrg(org.orgId, (tx) =>
    tx.invocation.findMany({ where: { channel: 'SCHEDULE' }, include: { sessions: true }, orderBy: { receivedAt: 'asc' } }),
  );

/** Fires the schedule now and returns the outcome of the run it started. */
async function triggerAndAwaitRun(scheduleId: string): Promise<{ workflowId: string; outcome: ScheduledRunOutcome }> {
  const handle = scheduleHandle(scheduleId);
  const before = (await handle.describe()).info.numActionsTaken;
  await handle.trigger();
  const action = await until('the run to start', async () => {
    const d = await handle.describe();
    return d.info.numActionsTaken > before && d.info.recentActions.at(-1);
  });
  const workflowId = action.action.workflow.workflowId;
  return { workflowId, outcome: await client.workflow.getHandle(workflowId).result() };
}

describe('a task schedule', { timeout: 120_000 }, () => {
  it('is a Temporal Schedule of scheduledDispatch runs, in the org time zone, skipping overlaps', async () => {
    const org = await setUp();
    const schedule = await nightly(org);
    expect(schedule).toMatchObject({ name: 'nightly greeting', cron: '0 3 * * *', paused: false });

    const described = await scheduleHandle(schedule.id).describe();
    expect(described.action).toMatchObject({
      type: 'startWorkflow',
      workflowType: 'scheduledDispatch',
      taskQueue: TASK_QUEUE,
      args: [{ orgId: org.orgId, scheduleId: schedule.id }],
    });
    expect(described.policies.overlap).toBe('SKIP');
    expect(described.state.paused).toBe(false);
    const next = described.info.nextActionTimes[0]!;
    expect(next.getTime()).toBeGreaterThan(Date.now());
    expect([next.getUTCHours(), next.getUTCMinutes()]).toEqual([3, 0]);

    const [listed] = await listTaskSchedules(db, fleet, org.orgId);
    expect(listed).toMatchObject({ id: schedule.id, temporal: 'OK', timeZone: 'UTC', nextRunAt: next, lastRunAt: null });
    const audit = await db.forOrg(org.orgId, (tx) => tx.auditLog.findMany({ where: { targetId: schedule.id } }));
    expect(audit.map((a) => a.action)).toEqual(['task_schedule.create']);
  });

  it('dispatches an unattended SCHEDULE session when it fires, and the session runs to a pull request', async () => {
    const org = await setUp();
    const schedule = await nightly(org);
    const { workflowId: runId, outcome } = await triggerAndAwaitRun(schedule.id);

    expect(runId.startsWith(`${temporalScheduleIdOf(schedule.id)}-`)).toBe(true);
    expect(outcome).toMatchObject({ outcome: 'DISPATCHED' });
    const [invocation, ...more] = await invocations(org);
    expect(more).toEqual([]);
    expect(invocation).toMatchObject({
      channel: 'SCHEDULE',
      externalRef: runId,
      actorUserId: null,
      actorExternal: `schedule:${schedule.id}`,
      error: null,
    });
    expect(invocation!.workflowStartedAt).toBeInstanceOf(Date);
    const [session] = invocation!.sessions;
    expect(session).toMatchObject({ isUnattended: true, developerId: org.developerId, repositoryId: org.repositoryId });
    expect(outcome).toEqual({
      outcome: 'DISPATCHED',
      invocationId: invocation!.id,
      sessionId: session!.id,
      workflowId: session!.workflowId,
    });

    // The session's own workflow runs the script agent to a PR.
    const status = await until(
      'the PR',
      async () => {
        const s = await client.workflow.getHandle(session!.workflowId).query<SessionStatusView>('status');
        return s.phase === 'FOLLOWING_PR' && s;
      },
      110_000,
    );
    expect(status.pullRequest).toMatchObject({ number: 1, state: 'OPEN' });
    const task = await db.forOrg(org.orgId, (tx) => tx.task.findUniqueOrThrow({ where: { id: invocation!.taskId! } }));
    expect(task).toMatchObject({ title: 'scheduled greeting', createdById: null });

    const [listed] = await listTaskSchedules(db, fleet, org.orgId);
    expect(listed!.lastRunAt).toBeInstanceOf(Date);
  });

  it('does not dispatch twice when the same run is retried', async () => {
    const org = await setUp();
    const schedule = await nightly(org, { prompt: JSON.stringify({ steps: [{ write: { path: 'once.txt', content: 'once\n' } }] }) });
    const first = await triggerAndAwaitRun(schedule.id);
    // The same run again (as a retried activity would see it): same workflow id, a new execution.
    const again = await client.workflow.execute('scheduledDispatch', {
      taskQueue: TASK_QUEUE,
      workflowId: first.workflowId,
      args: [{ orgId: org.orgId, scheduleId: schedule.id }],
    });
    expect(again).toEqual(first.outcome);
    const rows = await invocations(org);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.sessions).toHaveLength(1);
  });

  it('pauses in the product and in Temporal; a run that fires while paused dispatches nothing', async () => {
    const org = await setUp();
    const schedule = await nightly(org);
    const paused = await pauseTaskSchedule(db, fleet, { orgId: org.orgId, actorUserId: org.developerId, scheduleId: schedule.id });
    expect(paused.paused).toBe(true);
    expect((await scheduleHandle(schedule.id).describe()).state).toMatchObject({ paused: true });
    const [listed] = await listTaskSchedules(db, fleet, org.orgId);
    expect(listed).toMatchObject({ paused: true, nextRunAt: null, temporal: 'OK' });

    // Temporal still runs a manual trigger of a paused schedule; the run reads the row and stops.
    const { outcome } = await triggerAndAwaitRun(schedule.id);
    expect(outcome).toEqual({ outcome: 'SKIPPED', reason: 'PAUSED' });
    expect(await invocations(org)).toEqual([]);

    // Pausing twice changes nothing; resuming brings the next run back.
    await pauseTaskSchedule(db, fleet, { orgId: org.orgId, actorUserId: org.developerId, scheduleId: schedule.id });
    const resumed = await resumeTaskSchedule(db, fleet, { orgId: org.orgId, actorUserId: org.developerId, scheduleId: schedule.id });
    expect(resumed.paused).toBe(false);
    expect((await scheduleHandle(schedule.id).describe()).state.paused).toBe(false);
    expect((await listTaskSchedules(db, fleet, org.orgId))[0]!.nextRunAt).toBeInstanceOf(Date);
    const audit = await db.forOrg(org.orgId, (tx) => tx.auditLog.findMany({ where: { targetId: schedule.id }, orderBy: { at: 'asc' } }));
    expect(audit.map((a) => a.action)).toEqual(['task_schedule.create', 'task_schedule.pause', 'task_schedule.resume']);
  });

  it('deletes the Temporal Schedule with the row; sessions already dispatched stay', async () => {
    const org = await setUp();
    const schedule = await nightly(org, { prompt: JSON.stringify({ steps: [{ write: { path: 'kept.txt', content: 'kept\n' } }] }) });
    const { outcome } = await triggerAndAwaitRun(schedule.id);
    expect(outcome.outcome).toBe('DISPATCHED');

    await deleteTaskSchedule(db, fleet, { orgId: org.orgId, actorUserId: org.developerId, scheduleId: schedule.id });
    await expect(scheduleHandle(schedule.id).describe()).rejects.toBeInstanceOf(ScheduleNotFoundError);
    expect(await listTaskSchedules(db, fleet, org.orgId)).toEqual([]);
    expect(await invocations(org)).toHaveLength(1);
    // A run still in flight for the deleted schedule dispatches nothing.
    const late = await client.workflow.execute('scheduledDispatch', {
      taskQueue: TASK_QUEUE,
      workflowId: `${temporalScheduleIdOf(schedule.id)}-late`,
      args: [{ orgId: org.orgId, scheduleId: schedule.id }],
    });
    expect(late).toEqual({ outcome: 'SKIPPED', reason: 'DELETED' });
    await expect(
      deleteTaskSchedule(db, fleet, { orgId: org.orgId, actorUserId: org.developerId, scheduleId: schedule.id }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses a bad cron with an INVALID error that says what is wrong, and creates nothing', async () => {
    const org = await setUp();
    const error = await nightly(org, { cron: '0 25 * * *' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'INVALID', message: 'The hour must be between 0 and 23 (got 25).' });
    expect(await nightly(org, { cron: '0 9 * *' }).catch((e: AppError) => e.message)).toMatch(/five fields/);
    expect(await db.forOrg(org.orgId, (tx) => tx.taskSchedule.count())).toBe(0);
  });

  it('refuses a second schedule of the same name', async () => {
    const org = await setUp();
    await nightly(org);
    await expect(nightly(org, { cron: '0 4 * * *' })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await db.forOrg(org.orgId, (tx) => tx.taskSchedule.count())).toBe(1);
  });
});
