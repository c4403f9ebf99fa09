// The isolation layer: a session's worktree, branch, ports and schema (PRODUCT.md §3.2, §3.8).
export { ensureMirror, mirrorPath } from './ensure-mirror.ts';
export { reclaimSessionClone } from './reclaim-session-clone.ts';
export { prepareWorkspace, type PrepareWorkspaceOptions, type Workspace, workspaceOf } from './prepare-workspace.ts';
export { releaseWorkspace, type ReleaseWorkspaceOptions } from './release-workspace.ts';
export { GitError } from './git.ts';
export { LockTimeout } from './file-lock.ts';
export type { TRepositorySettings, TRepositorySource } from './repository-source.ts';
export type { PortBlock, TPortOptions } from './port-lease.ts';
export { SANDBOX_DATABASE_PORT, schemaServerAddress, sessionRoleUrl } from './session-schema.ts';
