// Real PostgreSQL for tests: a throwaway cluster made from the installed server
// binaries (or the server named by DATABASE_URL), a template database migrated once,
// and a fresh database per test file cloned from it in milliseconds.
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { applyMigrations } from './migrate.ts';
import { freePort } from './embedded.ts';

/** A LOGIN role that is neither superuser nor owner: the app connects as it in tests. */
export const TEST_APP_LOGIN = 'parallax_web';

export interface TestPostgres {
  adminUrl: string;
  stop(): Promise<void>;
}

export function findPostgresBin(): string | null {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return null;
  const versions = readdirSync(base).filter((v) => existsSync(path.join(base, v, 'bin', 'initdb')));
  versions.sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(base, versions[0], 'bin') : null;
}

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
  const bin = findPostgresBin();
  if (!bin) {
    throw new Error('PostgreSQL server binaries not found. Install them (apt-get install -y postgresql) or set DATABASE_URL.');
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'parallax-pg-'));
  const isRoot = process.getuid?.() === 0;
  // initdb refuses to run as root; the cluster then belongs to the postgres user.
  const run = (cmd: string, args: string[]) =>
    isRoot
      ? execFileSync('runuser', ['-u', 'postgres', '--', path.join(bin, cmd), ...args], { stdio: 'pipe' })
      : execFileSync(path.join(bin, cmd), args, { stdio: 'pipe' });
  if (isRoot)
    chownSync(
      dir,
      Number(execFileSync('id', ['-u', 'postgres']).toString().trim()),
      Number(execFileSync('id', ['-g', 'postgres']).toString().trim()),
    );
  const data = path.join(dir, 'data');
  // Passwords over TCP, as on a real server: a test that a wrong password is refused must mean it.
  const pwfile = path.join(dir, 'pwfile');
  writeFileSync(pwfile, `${password}\n`);
  if (isRoot) chownSync(pwfile, Number(execFileSync('id', ['-u', 'postgres']).toString().trim()), 0);
  run('initdb', [
    '-D',
    data,
    '--auth-local=trust',
    '--auth-host=scram-sha-256',
    `--pwfile=${pwfile}`,
    '-U',
    'postgres',
    '--no-sync',
    '-E',
    'UTF8',
  ]);
  const port = await freePort();
  run('pg_ctl', [
    '-D',
    data,
    '-l',
    path.join(dir, 'log'),
    '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300`,
    '-w',
    'start',
  ]);
  return {
    adminUrl: `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    async stop() {
      spawnSync(
        isRoot ? 'runuser' : path.join(bin, 'pg_ctl'),
        isRoot
          ? ['-u', 'postgres', '--', path.join(bin, 'pg_ctl'), '-D', data, '-m', 'immediate', 'stop']
          : ['-D', data, '-m', 'immediate', 'stop'],
        { stdio: 'ignore' },
      );
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
  return { name, drop: () => adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
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
  const name = `parallax_t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  await adminQuery(adminUrl, `CREATE DATABASE ${name} TEMPLATE ${template}`);
  await adminQuery(withDatabase(adminUrl, name), `GRANT CONNECT ON DATABASE ${name} TO ${TEST_APP_LOGIN}`);
  return {
    ownerUrl: withDatabase(adminUrl, name),
    appUrl: withDatabase(adminUrl, name, TEST_APP_LOGIN),
    drop: () => adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}
