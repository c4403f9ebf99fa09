// The client side of the fleet: connect to Temporal and start workflows by business id.
// The web app imports this entry ('@parallax/temporal/client') only; it never loads the worker.
import { Client, Connection, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { z } from 'zod';
import { TASK_QUEUE, type TemporalConfig, connectionOptions, loadTemporalConfig } from './config.ts';
import type { provisionOrg } from './workflows/index.ts';

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

/** What packages/api receives to start and steer agent sessions. */
export interface FleetEngine {
  startSession(args: { workflowId: string; orgId: string; sessionId: string }): Promise<void>;
  intervene(workflowId: string, args: { interventionId: string; message: string; actorUserId: string | null }): Promise<void>;
  cancel(workflowId: string, args: { actorUserId: string | null }): Promise<boolean>;
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
  };
}
