// Activities are plain async functions bound to the worker's dependencies: the worker
// injects the database here, so workflow code never sees it (and stays deterministic).
import type { Database } from '@parallax/db';
import { createOrgActivities } from './org.ts';

export interface ActivityDeps {
  db: Database;
}

/** Every activity the fleet's worker registers. */
export function createActivities(deps: ActivityDeps) {
  return { ...createOrgActivities(deps) };
}

export type Activities = ReturnType<typeof createActivities>;
