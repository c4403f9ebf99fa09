// The fleet's worker process (`npx tsx temporal/src/worker.ts`): polls the task queue
// for workflow and activity tasks. Start as many as the load needs; they share nothing.
import { createDatabase } from '@parallax/db';
import { NativeConnection } from '@temporalio/worker';
import { z } from 'zod';
import { TemporalConfigError, connectionOptions, describeTemporalConfig, loadTemporalConfig } from './config.ts';
import { createWorker } from './create-worker.ts';

const ZDatabaseUrl = z.url({
  protocol: /^postgres(ql)?$/,
  error: 'DATABASE_URL must be a postgresql:// URL of the app login role (see infra/PRODUCTION.md)',
});

async function main(): Promise<void> {
  const config = loadTemporalConfig();
  const databaseUrl = ZDatabaseUrl.safeParse(process.env.DATABASE_URL);
  if (!databaseUrl.success) throw new TemporalConfigError(databaseUrl.error.issues[0]?.message ?? 'DATABASE_URL is invalid');

  const db = createDatabase(databaseUrl.data);
  const connection = await NativeConnection.connect(connectionOptions(config));
  try {
    const worker = await createWorker({ connection, namespace: config.namespace, db });
    console.log(`worker: polling ${describeTemporalConfig(config)}`);
    // The SDK's Runtime traps SIGINT and SIGTERM and shuts the worker down: polling stops,
    // running tasks drain (shutdownGraceTime), then run() resolves.
    await worker.run();
    console.log('worker: stopped');
  } finally {
    await connection.close();
    await db.disconnect();
  }
}

main().catch((err: unknown) => {
  if (err instanceof TemporalConfigError) {
    console.error(err.message);
    process.exit(2);
  }
  console.error('worker: failed', err);
  process.exit(1);
});
