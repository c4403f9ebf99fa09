// A real worker for a test file: its own database and namespace, the workflow bundle,
// and a data dir for worktrees and mirrors. Register it at the top of the file; its
// fields are filled by the time the file's own beforeAll hooks run.
import type { Database } from '@parallax/db';
import { type DatabaseFixture, sessionDatabaseAdminUrl, useTestDatabase } from '@parallax/db/test-database';
import { useTempDir } from '@parallax/fleet/testing';
import { Client } from '@temporalio/client';
import { bundleWorkflowCode, type Worker } from '@temporalio/worker';
import { afterAll, beforeAll } from 'vitest';
import type { FleetConfig } from './activities/index.ts';
import { createFleetEngine, type FleetEngine } from './client.ts';
import { createWorker, workflowsPath } from './create-worker.ts';
import { type TemporalFixture, useTestTemporal } from './test-temporal.ts';

export interface FleetWorkerFixture {
  database: DatabaseFixture;
  db: Database;
  temporal: TemporalFixture;
  client: Client;
  fleet: FleetEngine;
  /** Where origin repositories of the test live. */
  reposDir: string;
  /** The session database server (another cluster than the product's). */
  sessionDatabaseUrl: string;
  dataDir: string;
}

type FleetOptions = Omit<FleetConfig, 'dataDir'>;

/** `fleetOptions` may be a function, for options known only once the file's servers listen (their ports). */
export function useFleetWorker(name: string, fleetOptions: FleetOptions | (() => Promise<FleetOptions>) = {}): FleetWorkerFixture {
  const dataDir = useTempDir(`parallax-${name}-`);
  const reposDir = useTempDir(`parallax-${name}-origins-`);
  const fixture = { dataDir, reposDir } as FleetWorkerFixture;
  let worker: Worker | undefined;
  let running: Promise<void> | undefined;

  beforeAll(async () => {
    const [database, temporal, bundle, options] = await Promise.all([
      useTestDatabase(),
      useTestTemporal(),
      bundleWorkflowCode({ workflowsPath, logger: quietBundler() }),
      typeof fleetOptions === 'function' ? fleetOptions() : fleetOptions,
    ]);
    const client = new Client({ connection: temporal.env.connection, namespace: temporal.namespace });
    const sessionDatabaseUrl = sessionDatabaseAdminUrl();
    Object.assign(fixture, { database, db: database.db, temporal, client, fleet: createFleetEngine(client), sessionDatabaseUrl });
    worker = await createWorker({
      connection: temporal.env.nativeConnection,
      namespace: temporal.namespace,
      db: database.db,
      fleet: { dataDir, schemaDatabaseUrl: sessionDatabaseUrl, ...options },
      workflowBundle: bundle,
    });
    running = worker.run();
  }, 120_000);

  afterAll(async () => {
    worker?.shutdown();
    await running;
  });
  return fixture;
}

function quietBundler() {
  const nothing = () => {};
  return { trace: nothing, debug: nothing, info: nothing, warn: nothing, error: console.error, log: nothing };
}
