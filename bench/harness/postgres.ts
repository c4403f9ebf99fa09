// A fresh, migrated database for one benchmark run: on the server in DATABASE_URL when
// set, else on a throwaway cluster made from the installed server binaries, as the
// tests do. Its own name, so a test run on the same server is not disturbed.
import { randomBytes } from 'node:crypto';
import { applyMigrations } from '@parallax/db/migrate';
import { ensureTestAppLogin, startTestPostgres, TEST_APP_LOGIN, withDatabase } from '@parallax/db/testing';
import pg from 'pg';
import { onTeardown } from './teardown.ts';

export interface BenchDatabase {
  /** Superuser: migrations and the benchmark's own reads. */
  ownerUrl: string;
  /** The app's login role (not superuser, no BYPASSRLS): what the worker connects as. */
  appUrl: string;
  /** Where it runs, for the report. */
  server: 'DATABASE_URL' | 'throwaway cluster';
  /** The database's name: its backends carry it in their command line. */
  name: string;
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function createBenchDatabase(): Promise<BenchDatabase> {
  const server = process.env.DATABASE_URL ? 'DATABASE_URL' : 'throwaway cluster';
  const cluster = await startTestPostgres();
  onTeardown(
    'stop PostgreSQL',
    () => cluster.stop(),
    () => void cluster.stop(),
  );
  const name = `parallax_bench_${randomBytes(4).toString('hex')}`;
  await adminQuery(cluster.adminUrl, `CREATE DATABASE ${name}`);
  onTeardown('drop the database', () => adminQuery(cluster.adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  const ownerUrl = withDatabase(cluster.adminUrl, name);
  await applyMigrations(ownerUrl);
  await ensureTestAppLogin(cluster.adminUrl);
  await adminQuery(ownerUrl, `GRANT CONNECT ON DATABASE ${name} TO ${TEST_APP_LOGIN}`);
  return { ownerUrl, appUrl: withDatabase(cluster.adminUrl, name, TEST_APP_LOGIN), server, name };
}
