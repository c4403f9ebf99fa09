// Real PostgreSQL for tests: a throwaway cluster made from the installed server
// binaries (or the server named by DATABASE_URL), a template database migrated once,
// and a fresh database per test file cloned from it in milliseconds.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { applyMigrations } from './migrate.ts';
import { startSessionServer } from './session-server.ts';

/** A LOGIN role that is neither superuser nor owner: the app connects as it in tests. */
export const TEST_APP_LOGIN = 'parallax_web';

export interface TestPostgres {
  adminUrl: string;
  stop(): Promise<void>;
}

export { findPostgresBin } from './session-server.ts';

/** Starts a throwaway cluster, or uses DATABASE_URL's server when it is set. */
export async function startTestPostgres(): Promise<TestPostgres> {
  if (process.env.DATABASE_URL) return { adminUrl: process.env.DATABASE_URL, stop: async () => {} };
  return startThrowawayPostgres('postgres');
}

/**
 * A PostgreSQL cluster of its own in a temporary folder, whatever DATABASE_URL says:
 * the session database server, which must never be the product's, has one with a
 * password nobody can guess.
 */
export async function startThrowawayPostgres(password: string): Promise<TestPostgres> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'parallax-pg-'));
  chmodSync(dir, 0o711); // as root the cluster inside is the postgres user's, who must walk in
  const server = await startSessionServer({ dir: path.join(dir, 'cluster'), password });
  return {
    adminUrl: server.adminUrl,
    async stop() {
      server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function withDatabase(url: string, database: string, user?: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  if (user) {
    u.username = user;
    u.password = user;
  }
  return u.toString();
}

async function adminQuery(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * Builds a migrated template database of this run's own and the app's login role; answers
 * its name and how to drop it. Run once per test run. Named per run, because two runs on
 * one server (DATABASE_URL) would otherwise drop and rebuild each other's template mid-run.
 */
export async function prepareTemplate(adminUrl: string): Promise<{ name: string; drop(): Promise<void> }> {
  const name = `parallax_template_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  await adminQuery(adminUrl, `CREATE DATABASE ${name}`);
  await applyMigrations(withDatabase(adminUrl, name));
  await ensureTestAppLogin(adminUrl);
  const drop = async () => {
    // Its clones too: a test file that made its database in a beforeAll has no afterAll of its own to drop it.
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [
        `${cloneNamePrefix(name).replaceAll('_', '\\_')}%`,
      ]);
      for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    } finally {
      await client.end();
    }
  };
  return { name, drop };
}

/** The names of a template's clones start with this, so that dropping the template can find them. */
function cloneNamePrefix(template: string): string {
  return `${template.replace(/^parallax_template_/, 'parallax_t_')}_`;
}

/** Creates the app's login role (TEST_APP_LOGIN) on the server once; needs `parallax_app`, made by the first migration. */
export async function ensureTestAppLogin(adminUrl: string): Promise<void> {
  await adminQuery(
    adminUrl,
    `DO $$ BEGIN
       IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${TEST_APP_LOGIN}') THEN
         CREATE ROLE ${TEST_APP_LOGIN} LOGIN PASSWORD '${TEST_APP_LOGIN}' NOSUPERUSER NOBYPASSRLS;
       END IF;
     END $$; GRANT parallax_app TO ${TEST_APP_LOGIN};`,
  );
}

export interface TestDatabase {
  /** Owner connection (superuser): for setup and assertions that must see every org. */
  ownerUrl: string;
  /** The app's connection: a non-superuser login role. */
  appUrl: string;
  drop(): Promise<void>;
}

/** A fresh, migrated database cloned from the run's template (prepareTemplate). */
export async function createTestDatabase(adminUrl: string, template: string): Promise<TestDatabase> {
  if (!/^parallax_template_\w+$/.test(template)) throw new Error(`not a template of prepareTemplate: ${template}`);
  const name = `${cloneNamePrefix(template)}${Math.random().toString(36).slice(2, 10)}`;
  await adminQuery(adminUrl, `CREATE DATABASE ${name} TEMPLATE ${template}`);
  await adminQuery(withDatabase(adminUrl, name), `GRANT CONNECT ON DATABASE ${name} TO ${TEST_APP_LOGIN}`);
  return {
    ownerUrl: withDatabase(adminUrl, name),
    appUrl: withDatabase(adminUrl, name, TEST_APP_LOGIN),
    drop: () => adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}
