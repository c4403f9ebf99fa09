// Activities are plain async functions bound to the worker's dependencies: the worker
// injects the database and its fleet settings here, so workflow code never sees them
// (and stays deterministic).
import type { Database } from '@parallax/db';
import { createFleetActivities, type FleetConfig } from './fleet.ts';
import { createOrgActivities } from './org.ts';
import { createScheduleActivities } from './schedules.ts';

export interface ActivityDeps {
  db: Database;
  fleet: FleetConfig;
}

/** Every activity the fleet's worker registers. */
export function createActivities(deps: ActivityDeps) {
  return { ...createOrgActivities(deps), ...createFleetActivities(deps), ...createScheduleActivities(deps) };
}

export type Activities = ReturnType<typeof createActivities>;
export type { FleetConfig } from './fleet.ts';
export { forgeConfigFromEnv } from './forges.ts';
