// The worker's wiring, shared by the worker process and the integration tests so that
// tests exercise the same task queue, workflows and activities as production.
import { fileURLToPath } from 'node:url';
import type { Database } from '@parallax/db';
import { type NativeConnection, Worker, type WorkflowBundleOption } from '@temporalio/worker';
import { createActivities, type FleetConfig } from './activities/index.ts';
import { TASK_QUEUE } from './config.ts';

export const workflowsPath = fileURLToPath(new URL('./workflows/index.ts', import.meta.url));

export interface CreateWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  db: Database;
  /** Where sessions' workspaces live and which forges they reach. */
  fleet: FleetConfig;
  /** A prebuilt bundle (bundleWorkflowCode); without it the worker bundles workflowsPath at start. */
  workflowBundle?: WorkflowBundleOption;
}

export function createWorker({ connection, namespace, db, fleet, workflowBundle }: CreateWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection,
    namespace,
    taskQueue: TASK_QUEUE,
    ...(workflowBundle ? { workflowBundle } : { workflowsPath }),
    activities: createActivities({ db, fleet }),
    // On SIGTERM, give running activities this long to finish before they are cancelled
    // (and retried by another worker). Keep it under the orchestrator's kill timeout.
    shutdownGraceTime: '20s',
    // A cancel reaches an activity only with a heartbeat's response. Sending heartbeats
    // at most every 2 s (not 0.8 × the heartbeat timeout) makes a cancel prompt while
    // the timeout stays generous for a loaded worker.
    maxHeartbeatThrottleInterval: '2s',
  });
}
