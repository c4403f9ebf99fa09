// A worker killed in the middle of prepareWorkspace: the retry (here, in this
// process) must end with one complete, consistent workspace, wherever the kill fell.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type DatabaseFixture, useTestDatabase } from '@parallax/db/test-database';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createOrgWithRepository,
  createOriginRepo,
  gitIn,
  prepareInOtherProcess,
  sessionSchemas,
  useTempDir,
} from '../../test/fixtures/workspace/index.ts';
import { prepareWorkspace } from './index.ts';

let fx: DatabaseFixture;
const tmp = useTempDir();

beforeAll(async () => {
  fx = await useTestDatabase();
});

async function waitFor(condition: () => boolean, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await sleep(5);
  }
}

describe('prepareWorkspace after a worker was killed half-way', () => {
  // Kill points, each the first sign of a step: what the killed attempt leaves behind
  // differs (nothing yet; a mirror but no base commit; a half-written worktree; all
  // but the final record).
  const stages: [string, (at: { sessionLock: string; mirror: string; worktree: string }) => boolean][] = [
    ['it took the session lock', (at) => existsSync(at.sessionLock)],
    ['the mirror was cloned', (at) => existsSync(at.mirror)],
    ['git began the worktree', (at) => existsSync(at.worktree)],
    ['.env.local was written', (at) => existsSync(path.join(at.worktree, '.env.local'))],
  ];

  it.each(stages)('ends with one consistent workspace (killed once %s)', async (_stage, reached) => {
    const origin = await createOriginRepo(tmp);
    const org = await createOrgWithRepository(fx.db, { localPath: origin.path, createsSchema: true });
    const session = await org.createSession();
    const options = {
      session,
      repository: org.repository,
      workspacesDir: path.join(tmp, 'workspaces'),
      mirrorsDir: path.join(tmp, 'mirrors'),
      schemaDatabaseUrl: fx.ownerUrl,
    };
    const at = {
      sessionLock: path.join(options.workspacesDir, `${session.id}.lock`),
      mirror: path.join(options.mirrorsDir, `${org.repository.id}.git`),
      worktree: path.join(options.workspacesDir, session.id),
    };

    const worker = prepareInOtherProcess({ appUrl: fx.appUrl, ...options });
    await waitFor(() => reached(at) || worker.child.exitCode !== null);
    worker.child.kill('SIGKILL');
    await worker.exited;
    // Origin moves on meanwhile; a base commit already recorded must not.
    await origin.commit({ 'after-kill.txt': 'later' });

    const workspace = await prepareWorkspace({ db: fx.db, ...options });
    const row = await fx.db.forOrg(org.orgId, (tx) => tx.agentSession.findUniqueOrThrow({ where: { id: session.id } }));
    expect(row).toMatchObject({
      baseCommit: workspace.baseCommit,
      worktreePath: workspace.worktreePath,
      branch: workspace.branch,
      dbSchema: workspace.dbSchema,
      portRangeStart: workspace.ports.start,
    });
    expect(gitIn(workspace.worktreePath, ['rev-parse', 'HEAD'])).toBe(workspace.baseCommit);
    expect(gitIn(workspace.worktreePath, ['status', '--porcelain'])).toBe('');
    expect(await readFile(path.join(workspace.worktreePath, 'README.md'), 'utf8')).toBe('# fixture\n');
    expect(await readFile(path.join(workspace.worktreePath, '.env.local'), 'utf8')).toContain(`PORT=${workspace.ports.start}\n`);
    expect(await fx.db.scoped({}, (tx) => tx.portLease.count({ where: { sessionId: session.id } }))).toBe(1);
    expect(await sessionSchemas(fx.ownerUrl)).toContain(workspace.dbSchema);
    expect(await prepareWorkspace({ db: fx.db, ...options })).toEqual(workspace);
  });
});
