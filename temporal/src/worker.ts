// The fleet's worker process (`npx tsx temporal/src/worker.ts`): polls the task queue
// for workflow and activity tasks. Start as many as the load needs; they share nothing.
import path from 'node:path';
import { createDatabase } from '@parallax/db';
import { NativeConnection } from '@temporalio/worker';
import { z } from 'zod';
import { TemporalConfigError, connectionOptions, describeTemporalConfig, loadTemporalConfig } from './config.ts';
import { sandboxSettingsFromEnv } from '@parallax/sandbox';
import { forgeConfigFromEnv } from './activities/index.ts';
import { createWorker } from './create-worker.ts';

const ZDatabaseUrl = z.url({
  protocol: /^postgres(ql)?$/,
  error: 'DATABASE_URL must be a postgresql:// URL of the app login role (see infra/PRODUCTION.md)',
});

/** host:port (or the socket folder) a PostgreSQL URL connects to. */
function serverOf(url: string): string {
  const u = new URL(url);
  return `${u.searchParams.get('host') ?? (u.hostname || 'localhost')}:${u.searchParams.get('port') ?? (u.port || '5432')}`;
}

async function main(): Promise<void> {
  const config = loadTemporalConfig();
  const databaseUrl = ZDatabaseUrl.safeParse(process.env.DATABASE_URL);
  if (!databaseUrl.success) throw new TemporalConfigError(databaseUrl.error.issues[0]?.message ?? 'DATABASE_URL is invalid');

  const sessionDatabaseUrl = ZDatabaseUrl.optional().safeParse(process.env.PARALLAX_SESSION_DATABASE_URL || undefined);
  if (!sessionDatabaseUrl.success) throw new TemporalConfigError('PARALLAX_SESSION_DATABASE_URL must be a postgresql:// URL');
  // Agents reach the session server through their sandbox: it must not be where the product's data lives.
  if (sessionDatabaseUrl.data && serverOf(sessionDatabaseUrl.data) === serverOf(databaseUrl.data)) {
    throw new TemporalConfigError(
      `PARALLAX_SESSION_DATABASE_URL points at the product's own database server (${serverOf(databaseUrl.data)}); give sessions a server of their own`,
    );
  }
  const github = (() => {
    try {
      return forgeConfigFromEnv(process.env);
    } catch (err) {
      throw new TemporalConfigError(`GitHub settings: ${err instanceof Error ? err.message : String(err)}`);
    }
  })();
  const sandbox = (() => {
    try {
      return sandboxSettingsFromEnv(process.env);
    } catch (err) {
      throw new TemporalConfigError(err instanceof Error ? err.message : String(err));
    }
  })();
  const fleet = {
    dataDir: path.resolve(process.env.PARALLAX_DATA_DIR || '.data'),
    // Sessions whose repository asks for a schema get one there, never on the product's own server.
    schemaDatabaseUrl: sessionDatabaseUrl.data,
    forges: github,
    sandbox,
  };
  if (sandbox.mode === 'unsandboxed') {
    console.warn(
      'worker: PARALLAX_SANDBOX=off — agents run WITHOUT a sandbox, with this worker’s files and network. Single-tenant self-hosting only.',
    );
  }

  const db = createDatabase(databaseUrl.data);
  const connection = await NativeConnection.connect(connectionOptions(config));
  try {
    const worker = await createWorker({ connection, namespace: config.namespace, db, fleet });
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
