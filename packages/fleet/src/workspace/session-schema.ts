// A session's own PostgreSQL schema, on the server configured for session schemas
// (never the product's database), owned by a login role of the session's own: the agent
// connects as that role, which owns its schema and nothing else, and both are dropped
// at cleanup. Its password is derived from the session id under the admin URL, so each
// activity rebuilds the same DATABASE_URL without storing a secret anywhere.
import { createHash, createHmac } from 'node:crypto';
import pg from 'pg';
import { copyTemplateSchema } from './template-schema.ts';

/** Where the sandbox reaches the session's database: its own loopback, forwarded to the schema server. */
export const SANDBOX_DATABASE_PORT = 5432;

const MAX_IDENTIFIER = 63;

/**
 * `session_<id>`, lower-cased to [a-z0-9_]. When that changes the id or cuts it
 * short, a hash of the whole id keeps two sessions from sharing a name.
 */
export function sessionSchemaName(sessionId: string): string {
  const clean = sessionId.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  const name = `session_${clean}`;
  if (clean === sessionId && name.length <= MAX_IDENTIFIER) return name;
  const hash = createHash('sha256').update(sessionId).digest('hex').slice(0, 10);
  return `${name.slice(0, MAX_IDENTIFIER - hash.length - 1)}_${hash}`;
}

/**
 * `url` with the schema as its search path. libpq and node-postgres both read
 * `options`; the space is written %20 because libpq does not decode `+`.
 */
export function sessionDatabaseUrl(url: string, schema: string): string {
  const u = new URL(url);
  u.searchParams.delete('options');
  u.hash = '';
  const options = `options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  return `${u.toString()}${u.search ? '&' : '?'}${options}`;
}

function sessionRolePassword(adminUrl: string, schema: string): string {
  return createHmac('sha256', adminUrl).update(`session-role:${schema}`).digest('base64url');
}

/**
 * The DATABASE_URL the agent uses: the session's role, on the sandbox's own loopback
 * (forwarded to the schema server), in its schema. `at` overrides where it points (tests on the host).
 */
export function sessionRoleUrl(adminUrl: string, schema: string, at?: { host: string; port: number }): string {
  const u = new URL(adminUrl);
  u.username = schema;
  u.password = sessionRolePassword(adminUrl, schema);
  u.hostname = at?.host ?? '127.0.0.1';
  u.port = String(at?.port ?? SANDBOX_DATABASE_PORT);
  for (const name of ['host', 'hostaddr', 'port', 'user', 'password']) u.searchParams.delete(name);
  return sessionDatabaseUrl(u.toString(), schema);
}

/** Where the schema server listens, for the sandbox's forward. */
export function schemaServerAddress(adminUrl: string): { host: string; port: number } {
  const u = new URL(adminUrl);
  return { host: u.hostname.replace(/^\[(.*)\]$/, '$1') || '127.0.0.1', port: Number(u.port || 5432) };
}

/**
 * The session's role and schema; with `template`, the schema starts as a copy of that
 * one (template-schema.ts), made once: a retry finds the schema and keeps what the
 * session has written to it since.
 */
export async function createSessionSchema(
  adminUrl: string,
  schema: string,
  options: { template?: { name: string; orgId: string } } = {},
): Promise<void> {
  await withClient(adminUrl, async (client) => {
    const role = client.escapeIdentifier(schema);
    const password = client.escapeLiteral(sessionRolePassword(adminUrl, schema));
    const exists = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [schema]);
    // No inheritance, no databases or roles of its own, a bounded number of connections.
    const attributes = `LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOREPLICATION CONNECTION LIMIT 20 PASSWORD ${password}`;
    await client.query(exists.rowCount ? `ALTER ROLE ${role} ${attributes}` : `CREATE ROLE ${role} ${attributes}`);
    // Nothing is granted to the role but its own schema. (What PUBLIC may do is the server's
    // setting: PostgreSQL 15 and later give PUBLIC no CREATE on schema public; on an older
    // session server, revoke it once. A REVOKE here would only race between sessions.)
    const { template } = options;
    if (!template) return void (await client.query(`CREATE SCHEMA IF NOT EXISTS ${role} AUTHORIZATION ${role}`));
    if ((await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema])).rowCount) return;
    await client.query('BEGIN');
    try {
      await copyTemplateSchema(client, { template: template.name, schema, role: schema, orgId: template.orgId });
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    }
  });
}

export async function dropSessionSchema(adminUrl: string, schema: string): Promise<void> {
  await withClient(adminUrl, async (client) => {
    const role = client.escapeIdentifier(schema);
    await client.query(`DROP SCHEMA IF EXISTS ${role} CASCADE`);
    const exists = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [schema]);
    if (!exists.rowCount) return;
    await client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1', [schema]);
    await client.query(`DROP OWNED BY ${role}`);
    await client.query(`DROP ROLE ${role}`);
  });
}

async function withClient<T>(databaseUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
