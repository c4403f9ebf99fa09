// @parallax/temporal: the fleet's workflows, activities and worker wiring.
// Clients (the web app, packages/api) import '@parallax/temporal/client' instead.
export {
  TASK_QUEUE,
  TemporalConfigError,
  connectionOptions,
  describeTemporalConfig,
  loadTemporalConfig,
  type TemporalConfig,
} from './config.ts';
export { createActivities, type Activities, type ActivityDeps } from './activities/index.ts';
export { createWorker, workflowsPath, type CreateWorkerOptions } from './create-worker.ts';
export type { ProvisionOrgInput, ProvisionOrgResult } from './workflows/index.ts';
