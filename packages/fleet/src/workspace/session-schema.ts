// A session's own PostgreSQL schema, on the server configured for session schemas
// (never the product's database), and the DATABASE_URL that puts the session in it.
import { createHash } from 'node:crypto';
import pg from 'pg';

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

export async function createSessionSchema(databaseUrl: string, schema: string): Promise<void> {
  await withClient(databaseUrl, (client) => client.query(`CREATE SCHEMA IF NOT EXISTS ${client.escapeIdentifier(schema)}`));
}

export async function dropSessionSchema(databaseUrl: string, schema: string): Promise<void> {
  await withClient(databaseUrl, (client) => client.query(`DROP SCHEMA IF EXISTS ${client.escapeIdentifier(schema)} CASCADE`));
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
