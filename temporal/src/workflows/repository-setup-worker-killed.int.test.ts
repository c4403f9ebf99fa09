// A worker process is killed (SIGKILL) while the repository's setup runs; another worker
// takes the session over after the heartbeat timeout and runs setup again from the
// start, with nothing of the first run still going, then the agent, to SUCCEEDED.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from '@parallax/db';
import { sessionDatabaseAdminUrl, useTestDatabase } from '@parallax/db/test-database';
import { dispatchTask } from '@parallax/fleet';
import { createFleetOrg, createOriginRepo, gitIn, until, useTempDir } from '@parallax/fleet/testing';
import { Client } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createFleetEngine } from '../client.ts';
import { createWorker } from '../create-worker.ts';
import { type TemporalFixture, useTestTemporal } from '../test-temporal.ts';
import type { SessionStatusView } from './agent-session.ts';

const workerPath = fileURLToPath(new URL('../worker.ts', import.meta.url));
const dataDir = useTempDir('parallax-setup-killed-');
const reposDir = useTempDir('parallax-setup-killed-origins-');
let fx: Awaited<ReturnType<typeof useTestDatabase>>;
let db: Database;
let temporal: TemporalFixture;
let doomed: ChildProcess | undefined;
let successor: Worker | undefined;
let successorRun: Promise<void> | undefined;

beforeAll(async () => {
  [fx, temporal] = await Promise.all([useTestDatabase(), useTestTemporal()]);
  db = fx.db;
});

afterAll(async () => {
  if (doomed && doomed.exitCode === null && doomed.signalCode === null) process.kill(-doomed.pid!, 'SIGKILL');
  successor?.shutdown();
  await successorRun;
});

const sleeping = () =>
  execFileSync('ps', ['-eo', 'args'])
    .toString()
    .split('\n')
    .some((l) => l.trim() === 'sleep 601');

it('runs setup again from the start on the next worker, and the session succeeds', { timeout: 180_000 }, async () => {
  doomed = spawn(process.execPath, ['--import', 'tsx', workerPath], {
    env: {
      ...process.env,
      DATABASE_URL: fx.appUrl,
      PARALLAX_SESSION_DATABASE_URL: sessionDatabaseAdminUrl(),
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_NAMESPACE: temporal.namespace,
      PARALLAX_DATA_DIR: dataDir,
    },
    detached: true,
    stdio: ['ignore', 'ignore', 'inherit'],
  });

  const origin = await createOriginRepo(reposDir, { 'README.md': '# fixture\n' });
  const org = await createFleetOrg(db, { repository: { localPath: origin.path, testCommand: 'true' } });
  // Each run of setup counts itself in the session's HOME; the first one hangs until its worker dies.
  const setupCommand =
    'echo run >> "$HOME/setup-runs"; echo "setup starts"; if [ "$(wc -l < "$HOME/setup-runs")" -eq 1 ]; then exec sleep 601; fi; echo ready > "$HOME/ready"';
  await db.forOrg(org.orgId, (tx) => tx.repository.update({ where: { id: org.repositoryId }, data: { setupCommand } }));
  const client = new Client({ connection: temporal.env.connection, namespace: temporal.namespace });
  const fleet = createFleetEngine(client);
  const recipe = { steps: [{ run: 'cp "$HOME/ready" after-setup.txt' }] };
  const { sessionId, workflowId } = await dispatchTask(
    db,
    { orgId: org.orgId, developerId: org.developerId, channel: 'WEB', actorUserId: org.developerId, rawPayload: recipe },
    { repositoryId: org.repositoryId, title: 'setup survives a crash', prompt: JSON.stringify(recipe) },
    (args) => fleet.startSession(args),
  );
  const logOf = async () =>
    (await db.forOrg(org.orgId, (tx) => tx.sessionLogChunk.findMany({ where: { sessionId }, orderBy: { seq: 'asc' } })))
      .map((c) => c.text)
      .join('');

  await until('setup to hang', async () => (await logOf()).includes('setup starts') && sleeping());
  process.kill(-doomed.pid!, 'SIGKILL');
  await new Promise((resolve) => doomed!.once('exit', resolve));
  await until('the dead worker’s setup to be gone', async () => !sleeping(), 10_000);

  successor = await createWorker({
    connection: temporal.env.nativeConnection,
    namespace: temporal.namespace,
    db,
    fleet: { dataDir, schemaDatabaseUrl: sessionDatabaseAdminUrl() },
  });
  successorRun = successor.run();

  const handle = client.workflow.getHandle(workflowId);
  expect(await until('the outcome', async () => (await handle.query<SessionStatusView>('status')).outcome, 150_000)).toBe('SUCCEEDED');
  const row = await db.forOrg(org.orgId, (tx) => tx.agentSession.findUniqueOrThrow({ where: { id: sessionId } }));
  expect(gitIn(origin.path, ['show', `refs/heads/${row.branch}:after-setup.txt`])).toBe('ready');
  expect(readFileSync(path.join(dataDir, 'sandbox', 'homes', sessionId, 'setup-runs'), 'utf8')).toBe('run\nrun\n');
  const log = await logOf();
  expect(log).toContain('[parallax] setup: attempt 2, running it again from the start');
  expect(log.match(/^setup starts$/gm)).toHaveLength(2);
});
