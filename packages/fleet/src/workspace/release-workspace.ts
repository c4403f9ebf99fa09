// Cleanup (PRODUCT.md §3.8) runs on every path: success, failure, cancel, timeout,
// after a prepare that died half-way, and twice. So each step tolerates finding its
// work done already, and one failing step does not stop the others.
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Database } from '@parallax/db';
import { invalid } from '@parallax/tenancy';
import { mirrorPath, withMirrorLock } from './ensure-mirror.ts';
import { withFileLock } from './file-lock.ts';
import { parseSettings } from './parse-settings.ts';
import { releasePortBlock } from './port-lease.ts';
import { ZPathSafeId } from './repository-source.ts';
import { dropSessionSchema, sessionSchemaName } from './session-schema.ts';
import { reclaimSessionClone } from './reclaim-session-clone.ts';
import { deleteSessionBranch, keepSessionBranch, removeSessionWorktree, sessionBranch, sessionWorktreePath } from './session-worktree.ts';

export interface ReleaseWorkspaceOptions {
  db: Database;
  session: { id: string; orgId: string };
  workspacesDir: string;
  mirrorsDir: string;
  schemaDatabaseUrl?: string;
  /** Keep the branch in the mirror while its PR is open; release again with false once it is closed. */
  keepBranch: boolean;
}

export async function releaseWorkspace(options: ReleaseWorkspaceOptions): Promise<void> {
  const { db, schemaDatabaseUrl } = options;
  const sessionId = parseSettings(ZPathSafeId, options.session.id, 'Invalid session id');
  const worktreePath = sessionWorktreePath(options.workspacesDir, sessionId);
  await mkdir(path.dirname(worktreePath), { recursive: true });
  const failures: unknown[] = [];
  const step = (work: () => Promise<unknown>) => work().catch((error: unknown) => failures.push(error));

  await withFileLock(`${worktreePath}.lock`, async () => {
    const recorded = await db.forOrg(options.session.orgId, (tx) =>
      tx.agentSession.findUnique({ where: { id: sessionId }, select: { repositoryId: true, dbSchema: true } }),
    );
    const mirror = recorded && mirrorPath(options.mirrorsDir, recorded.repositoryId);

    await step(async () => {
      if (mirror === null || !existsSync(mirror)) return rm(worktreePath, { recursive: true, force: true });
      await withMirrorLock(mirror, async () => {
        const branch = sessionBranch(sessionId);
        if (options.keepBranch && existsSync(path.join(worktreePath, '.git'))) {
          // The agent's commits outlive the copy in the mirror while the PR is open; taken back from the agent first.
          await reclaimSessionClone({ worktreePath, mirror, branch });
          await keepSessionBranch(mirror, worktreePath, branch);
        }
        await removeSessionWorktree(mirror, worktreePath);
        if (!options.keepBranch) await deleteSessionBranch(mirror, branch);
      });
    });
    await step(() => releasePortBlock(db, sessionId));
    await step(async () => {
      // The name is derived, not only read back: a prepare that died after creating
      // the schema never recorded it.
      const schemas = new Set([sessionSchemaName(sessionId), ...(recorded?.dbSchema ? [recorded.dbSchema] : [])]);
      if (schemaDatabaseUrl) {
        for (const schema of schemas) await dropSessionSchema(schemaDatabaseUrl, schema);
      } else if (recorded?.dbSchema) {
        throw invalid(`Session ${sessionId} has schema ${recorded.dbSchema}, but no schema database is configured to drop it`);
      }
    });
  });

  if (failures.length === 1) throw failures[0];
  if (failures.length > 1) {
    const messages = failures.map((f) => (f instanceof Error ? f.message : String(f)));
    throw new AggregateError(failures, `Releasing the workspace of session ${sessionId} failed: ${messages.join(' | ')}`);
  }
}
