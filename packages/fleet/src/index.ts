// @parallax/fleet: dispatch, admission, workspaces, agents and forges. Subpaths
// (./workspace, ./agents, ./forge, ./admission) keep each body of knowledge apart.
export * from './sessions/index.ts';
export * from './admission/index.ts';
export * from './settings/index.ts';
export * from './schedules/index.ts';
