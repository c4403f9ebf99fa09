// The client side of the fleet: connect to Temporal and start workflows by business id.
// The web app imports this entry ('@parallax/temporal/client') only; it never loads the worker.
import type { ScheduleEngine } from '@parallax/fleet';
import { Client, Connection, ScheduleNotFoundError, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { z } from 'zod';
import { TASK_QUEUE, type TemporalConfig, connectionOptions, loadTemporalConfig } from './config.ts';
import type { provisionOrg, scheduledDispatch } from './workflows/index.ts';

/** Connects (eagerly: a wrong address or credential fails here) with the TEMPORAL_* environment. */
export async function connectTemporal(config: TemporalConfig = loadTemporalConfig()): Promise<Client> {
  const connection = await Connection.connect(connectionOptions(config));
  return new Client({ connection, namespace: config.namespace });
}

/** What packages/api receives through its context. */
export interface Provisioner {
  /** Starts provisioning the org's defaults in the background; does not wait for it. */
  provisionOrg(orgId: string): Promise<void>;
}

export const provisionOrgWorkflowId = (orgId: string): string => `provision-org-${orgId}`;

const ZOrgId = z.string().trim().min(1, 'orgId is empty').max(200, 'orgId is too long');

export function createProvisioner(client: Client): Provisioner {
  return {
    async provisionOrg(orgId) {
      const id = ZOrgId.parse(orgId);
      try {
        await client.workflow.start<typeof provisionOrg>('provisionOrg', {
          taskQueue: TASK_QUEUE,
          workflowId: provisionOrgWorkflowId(id),
          args: [{ orgId: id }],
          // A completed provisioning is never run again; a failed one (say, the database
          // was away longer than the activity's retries) may be started anew.
          workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
        });
      } catch (err) {
        // Running or already done under this business id: the org is (being) provisioned.
        if (err instanceof WorkflowExecutionAlreadyStartedError) return;
        throw err;
      }
    },
  };
}

/** What packages/api receives to start and steer agent sessions, and to keep schedules. */
export interface FleetEngine extends ScheduleEngine {
  startSession(args: { workflowId: string; orgId: string; sessionId: string }): Promise<void>;
  intervene(workflowId: string, args: { interventionId: string; message: string; actorUserId: string | null }): Promise<void>;
  cancel(workflowId: string, args: { actorUserId: string | null }): Promise<boolean>;
  /** The session's PR changed (merged or closed here, or a webhook said so): its workflow looks now. False when it has ended. */
  pullRequestChanged(workflowId: string): Promise<boolean>;
}

export function createFleetEngine(client: Client): FleetEngine {
  return {
    async startSession({ workflowId, orgId, sessionId }) {
      try {
        await client.workflow.start('agentSession', { taskQueue: TASK_QUEUE, workflowId, args: [{ orgId, sessionId }] });
      } catch (err) {
        // Started already (a retried dispatch): the session is running, which is what was asked.
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      }
    },
    async intervene(workflowId, args) {
      await client.workflow.getHandle(workflowId).signal('intervene', args);
    },
    async cancel(workflowId, args) {
      try {
        await client.workflow.getHandle(workflowId).signal('cancel', args);
        return true;
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) return false;
        throw err;
      }
    },
    async pullRequestChanged(workflowId) {
      try {
        await client.workflow.getHandle(workflowId).signal('pullRequestChanged');
        return true;
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) return false;
        throw err;
      }
    },
    ...createScheduleEngine(client),
  };
}

/** Temporal Schedules whose runs are `scheduledDispatch` workflows (temporal/src/workflows/scheduled-dispatch.ts). */
function createScheduleEngine(client: Client): ScheduleEngine {
  const handle = (id: string) => client.schedule.getHandle(id);
  /** false when Temporal has no such schedule. */
  const found = async (work: Promise<void>) =>
    work.then(
      () => true,
      (err) => {
        if (err instanceof ScheduleNotFoundError) return false;
        throw err;
      },
    );
  return {
    async createSchedule({ temporalScheduleId, orgId, taskScheduleId, cron, timeZone }) {
      await client.schedule.create<typeof scheduledDispatch>({
        scheduleId: temporalScheduleId,
        spec: { cronExpressions: [cron], timezone: timeZone },
        // Each run's workflow id is this id plus the run's time (Temporal appends it).
        action: {
          type: 'startWorkflow',
          workflowType: 'scheduledDispatch',
          taskQueue: TASK_QUEUE,
          workflowId: temporalScheduleId,
          args: [{ orgId, scheduleId: taskScheduleId }],
        },
        // A run only dispatches (the session is its own workflow), so overlap is rare; skip
        // rather than pile up. A run more than an hour late (Temporal was down) is dropped.
        policies: { overlap: 'SKIP', catchupWindow: '1 hour' },
        memo: { orgId, taskScheduleId },
      });
    },
    pauseSchedule: (id, note) => found(handle(id).pause(note)),
    unpauseSchedule: (id, note) => found(handle(id).unpause(note)),
    deleteSchedule: (id) => found(handle(id).delete()),
    async describeSchedule(id) {
      try {
        const d = await handle(id).describe();
        const last = d.info.recentActions.at(-1);
        return {
          paused: d.state.paused,
          nextRunAt: d.info.nextActionTimes[0] ?? null,
          lastRunAt: last?.takenAt ?? null,
          timeZone: d.spec.timezone ?? 'UTC',
        };
      } catch (err) {
        if (err instanceof ScheduleNotFoundError) return null;
        throw err;
      }
    },
  };
}
