// Isolation (PRODUCT.md §3.2): a session's worktree and branch from the mirror at a
// recorded base commit, its port block, its schema, and the .env.local that tells
// the code under work about them. Keyed by the session id, so a retried activity
// (a worker killed half-way) gets the same workspace back, never a second one.
import { lstat, mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Database } from '@parallax/db';
import { invalid, notFound } from '@parallax/tenancy';
import { checkRepositoryUrl, repositoryPathsFromEnv, resolveOwnRepositoryPath } from '../forge/repository-paths.ts';
import { ensureMirror, withMirrorLock } from './ensure-mirror.ts';
import { sessionEnv, writeEnvFile } from './env-file.ts';
import { withFileLock } from './file-lock.ts';
import { parseSettings } from './parse-settings.ts';
import { reclaimSessionClone } from './reclaim-session-clone.ts';
import { leasePortBlock, type PortBlock, type TPortOptions } from './port-lease.ts';
import { type TRepositorySettings, ZPathSafeId, ZRepositorySettings } from './repository-source.ts';
import { createSessionSchema, sessionRoleUrl, sessionSchemaName } from './session-schema.ts';
import { checkoutSessionWorktree, isSessionWorktree, resolveBranchHead, sessionBranch, sessionWorktreePath } from './session-worktree.ts';

export interface PrepareWorkspaceOptions {
  db: Database;
  session: { id: string; orgId: string };
  repository: TRepositorySettings;
  /** Worktrees live in `<workspacesDir>/<sessionId>`. */
  workspacesDir: string;
  /** Mirrors live in `<mirrorsDir>/<repositoryId>.git`. */
  mirrorsDir: string;
  /** A server where sessions may create schemas; required when the repository creates one. */
  schemaDatabaseUrl?: string;
  ports?: TPortOptions;
}

export interface Workspace {
  worktreePath: string;
  branch: string;
  baseCommit: string;
  ports: PortBlock;
  dbSchema: string | null;
  /** What .env.local holds, for the agent's process environment too. */
  env: Record<string, string>;
}

export async function prepareWorkspace(options: PrepareWorkspaceOptions): Promise<Workspace> {
  const { db } = options;
  const { orgId } = options.session;
  const sessionId = parseSettings(ZPathSafeId, options.session.id, 'Invalid session id');
  const repository = parseSettings(ZRepositorySettings, options.repository, 'Invalid repository settings');
  if (repository.createsSchema && !options.schemaDatabaseUrl) {
    throw invalid(`Repository ${repository.id} asks for a database schema per session, but no schema database is configured`);
  }
  if (repository.templateSchema && !repository.createsSchema)
    throw invalid(`Repository ${repository.id} names template schema ${repository.templateSchema} but creates no schema per session`);
  const worktreePath = sessionWorktreePath(options.workspacesDir, sessionId);
  const branch = sessionBranch(sessionId);
  const dbSchema = repository.createsSchema ? sessionSchemaName(sessionId) : null;
  await mkdir(path.dirname(worktreePath), { recursive: true });

  // One attempt at a time per session: a timed-out attempt may still be running.
  return withFileLock(`${worktreePath}.lock`, async () => {
    const recorded = await db.forOrg(orgId, (tx) =>
      tx.agentSession.findUnique({ where: { id: sessionId }, select: { baseCommit: true, worktreePath: true } }),
    );
    if (!recorded) throw notFound(`Agent session ${sessionId}`);
    await assertOwnRepository(orgId, repository);
    const mirror = await ensureMirror({ mirrorsDir: options.mirrorsDir, repository });
    const baseCommit = recorded.baseCommit ?? (await recordBaseCommit(db, { orgId, sessionId }, mirror, repository));
    const ports = await leasePortBlock(db, sessionId, options.ports);

    let databaseUrl: string | null = null;
    if (dbSchema && options.schemaDatabaseUrl) {
      await createSessionSchema(options.schemaDatabaseUrl, dbSchema, {
        template: repository.templateSchema ? { name: repository.templateSchema, orgId } : undefined,
      });
      databaseUrl = sessionRoleUrl(options.schemaDatabaseUrl, dbSchema);
    }
    const env = sessionEnv({ id: sessionId, ports, databaseUrl });

    await withMirrorLock(mirror, async () => {
      // The location is recorded last, so a recorded one means prepare finished and
      // the agent may have worked there: keep an intact worktree. Anything else is
      // an attempt that died half-way, with nothing on the branch yet: start over.
      const isPrepared = recorded.worktreePath !== null;
      // An agent may have run there: take the repository back before git runs in it.
      if (isPrepared && (await lstat(path.join(worktreePath, '.git')).catch(() => null))?.isDirectory()) {
        await reclaimSessionClone({ worktreePath, mirror, branch }).catch(() => {});
      }
      if (!isPrepared || !(await isSessionWorktree(mirror, worktreePath, branch))) {
        await checkoutSessionWorktree(mirror, { worktreePath, branch, base: baseCommit, resetBranch: !isPrepared });
      }
      await writeEnvFile(worktreePath, env);
    });

    await db.forOrg(orgId, (tx) =>
      tx.agentSession.update({
        where: { id: sessionId },
        data: { baseCommit, branch, worktreePath, dbSchema, portRangeStart: ports.start, portRangeEnd: ports.end },
      }),
    );
    return { worktreePath, branch, baseCommit, ports, dbSchema, env };
  });
}

/**
 * Checked again where the worker reads the repository, not only when it was saved: a row
 * saved before the rule (or written some other way) must not make this org's mirror a copy
 * of another org's repository or of the data folder.
 */
async function assertOwnRepository(orgId: string, repository: TRepositorySettings): Promise<void> {
  if (repository.localPath) {
    await resolveOwnRepositoryPath(repositoryPathsFromEnv(), orgId, repository.localPath, { onlyUnderRoots: false });
  } else if (repository.url) {
    const problem = checkRepositoryUrl(repository.url);
    if (problem) throw invalid(`Repository ${repository.id}: ${problem}`);
  }
}

/** The default branch's head in the freshly fetched mirror, recorded at once so that every later attempt builds on it. */
async function recordBaseCommit(
  db: Database,
  ref: { orgId: string; sessionId: string },
  mirror: string,
  repository: { id: string; defaultBranch: string },
): Promise<string> {
  const head = await resolveBranchHead(mirror, repository.defaultBranch);
  if (!head) throw invalid(`Repository ${repository.id} has no branch ${repository.defaultBranch}`);
  await db.forOrg(ref.orgId, (tx) => tx.agentSession.update({ where: { id: ref.sessionId }, data: { baseCommit: head } }));
  return head;
}

/**
 * The workspace a finished prepare recorded on the session, rebuilt without touching
 * disk or git: what the agent and the checks run in. Null before prepare has finished.
 */
export function workspaceOf(
  session: {
    id: string;
    worktreePath: string | null;
    branch: string | null;
    baseCommit: string | null;
    portRangeStart: number | null;
    portRangeEnd: number | null;
    dbSchema: string | null;
  },
  schemaDatabaseUrl?: string,
): Workspace | null {
  const { worktreePath, branch, baseCommit, portRangeStart, portRangeEnd } = session;
  if (!worktreePath || !branch || !baseCommit || portRangeStart === null || portRangeEnd === null) return null;
  const ports = { start: portRangeStart, end: portRangeEnd };
  const databaseUrl = session.dbSchema && schemaDatabaseUrl ? sessionRoleUrl(schemaDatabaseUrl, session.dbSchema) : null;
  return { worktreePath, branch, baseCommit, ports, dbSchema: session.dbSchema, env: sessionEnv({ id: session.id, ports, databaseUrl }) };
}
