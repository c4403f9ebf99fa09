// A worker process is killed (SIGKILL, no goodbye) while its agent runs; another worker
// takes the session over after the heartbeat timeout and finishes it: one PR, no event
// twice, the log continued rather than restarted.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Database } from '@parallax/db';
import { useTestDatabase, sessionDatabaseAdminUrl } from '@parallax/db/test-database';
import { dispatchTask } from '@parallax/fleet';
import { stopSessionLeftovers } from '@parallax/fleet/agents';
import { createFleetOrg, createOriginRepo, gitIn, until, useTempDir } from '@parallax/fleet/testing';
import { Client } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createFleetEngine } from '../client.ts';
import { createWorker } from '../create-worker.ts';
import { type TemporalFixture, useTestTemporal } from '../test-temporal.ts';
import type { SessionStatusView } from './agent-session.ts';

const workerPath = fileURLToPath(new URL('../worker.ts', import.meta.url));
const dataDir = useTempDir('parallax-killed-');
const reposDir = useTempDir('parallax-killed-origins-');
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

it('finishes with exactly one PR and no duplicated events when a new worker takes over; the dead worker’s sandbox died with it', {
  timeout: 180_000,
}, async () => {
  // The first worker is its own process, started as production starts it.
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
  const org = await createFleetOrg(db, { repository: { localPath: origin.path, testCommand: 'test -f second.txt' } });
  const client = new Client({ connection: temporal.env.connection, namespace: temporal.namespace });
  const fleet = createFleetEngine(client);
  const recipe = {
    steps: [
      { write: { path: 'first.txt', content: '1\n' } },
      // The first attempt leaves a long-running child behind when its worker dies;
      // the second finds the marker and moves on.
      { run: 'if [ -e .first-attempt ]; then exit 0; fi; touch .first-attempt; echo first half done; exec sleep 600' },
      { write: { path: 'second.txt', content: '2\n' } },
    ],
  };
  const { sessionId, workflowId } = await dispatchTask(
    db,
    { orgId: org.orgId, developerId: org.developerId, channel: 'WEB', actorUserId: org.developerId, rawPayload: recipe },
    { repositoryId: org.repositoryId, title: 'survive a crash', prompt: JSON.stringify(recipe) },
    (args) => fleet.startSession(args),
  );
  const logOf = async () =>
    (await db.forOrg(org.orgId, (tx) => tx.sessionLogChunk.findMany({ where: { sessionId }, orderBy: { seq: 'asc' } })))
      .map((c) => c.text)
      .join('');

  await until('the agent to be half-way', async () => (await logOf()).includes('first half done'));
  process.kill(-doomed.pid!, 'SIGKILL');
  await new Promise((resolve) => doomed!.once('exit', resolve));
  // The sandbox dies with the worker that started it (its PID namespace, --die-with-parent): nothing keeps writing to the copy.
  await until(
    'the dead worker’s agent to be gone',
    async () =>
      !execFileSync('ps', ['-eo', 'args'])
        .toString()
        .split('\n')
        .some((l) => l.trim() === 'sleep 600'),
    10_000,
  );

  successor = await createWorker({
    connection: temporal.env.nativeConnection,
    namespace: temporal.namespace,
    db,
    fleet: { dataDir, schemaDatabaseUrl: sessionDatabaseAdminUrl() },
  });
  successorRun = successor.run();

  const handle = client.workflow.getHandle(workflowId);
  const outcome = await until('the outcome', async () => (await handle.query<SessionStatusView>('status')).outcome, 150_000);
  expect(outcome).toBe('SUCCEEDED');

  const row = await db.forOrg(org.orgId, (tx) =>
    tx.agentSession.findUniqueOrThrow({ where: { id: sessionId }, include: { events: true, pullRequest: true } }),
  );
  expect(row.status).toBe('SUCCEEDED');
  const types = row.events.map((e) => e.type).sort();
  expect(types).toEqual([
    'ADMITTED',
    'AGENT_EXITED',
    'CHECKS_PASSED',
    'CLEANED_UP',
    'ENDED',
    'PR_OPENED',
    'QUEUED',
    'STARTED',
    'WORKSPACE_READY',
  ]);
  expect(await db.forOrg(org.orgId, (tx) => tx.pullRequest.count({ where: { sessionId } }))).toBe(1);
  expect(origin.branches().filter((b) => b.startsWith('parallax/'))).toEqual([row.branch]);
  const files = gitIn(origin.path, ['ls-tree', '--name-only', `refs/heads/${row.branch}`]).split('\n');
  expect(files).toEqual(expect.arrayContaining(['first.txt', 'second.txt']));

  const log = await logOf();
  expect(log).toContain('attempt 2');
  // Nothing of the first attempt was left for the second to stop.
  expect(log).not.toMatch(/a previous attempt left running/);
  expect(await stopSessionLeftovers(sessionId)).toEqual([]);
  // One log, numbered without gaps or repeats across both workers.
  const seqs = (await db.forOrg(org.orgId, (tx) => tx.sessionLogChunk.findMany({ where: { sessionId }, select: { seq: true } })))
    .map((c) => c.seq)
    .sort((a, b) => a - b);
  expect(seqs).toEqual(seqs.map((_, i) => i));
});
