// Writes chunks of rows, each chunk in one transaction and its tables in foreign-key order.
// COPY FROM STDIN on PostgreSQL; PGlite's socket server cannot take COPY FROM STDIN (the
// connection loses protocol sync), so there it is one INSERT … SELECT FROM unnest(…) per table.
// COPY into a table with FORCE ROW LEVEL SECURITY is refused for a role subject to RLS: the
// connection must be a superuser or BYPASSRLS (checked before anything is written).
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Chunk } from './rows.ts';
import { copyLines, copyStatement, insertStatement, TABLE_ORDER, type TableName } from './tables.ts';

/** A chunk already in COPY's text format, table by table. */
export type EncodedChunk = Record<TableName, string>;

export function encodeChunk(chunk: Chunk): EncodedChunk {
  return Object.fromEntries(TABLE_ORDER.map((t) => [t, copyLines(chunk[t])])) as EncodedChunk;
}

export type WriteMethod = 'copy' | 'insert';

/** 'insert' on PGlite, 'copy' elsewhere. */
export async function detectMethod(client: pg.Client): Promise<WriteMethod> {
  const { rows } = await client.query<{ version: string }>('SELECT version()');
  return /PGlite/i.test(rows[0]?.version ?? '') ? 'insert' : 'copy';
}

/** Whether this connection may write every org's rows (superuser or BYPASSRLS), and whether it is a superuser. */
export async function roleOf(client: pg.Client): Promise<{ bypassesRls: boolean; superuser: boolean }> {
  const { rows } = await client.query<{ superuser: boolean; bypass: boolean }>(
    'SELECT rolsuper AS superuser, (rolsuper OR rolbypassrls) AS bypass FROM pg_roles WHERE rolname = current_user',
  );
  return { bypassesRls: rows[0]?.bypass === true, superuser: rows[0]?.superuser === true };
}

async function copyInto(client: pg.Client, statement: string, text: string): Promise<void> {
  if (text.length === 0) return;
  await pipeline(Readable.from([text]), client.query(copyFrom(statement)));
}

/**
 * One transaction per chunk. A chunk holds every row of its sessions, and a retry sits in the
 * chunk of the try it retries, so chunks are independent and two connections can write them at
 * once. `skipForeignKeyChecks` (superusers only) sets
 * session_replication_role = replica for the transaction: the per-row foreign-key triggers
 * (the only triggers on these tables) are skipped, the rows being consistent by construction
 * (the tests read every session back with its task, invocation and events).
 */
export async function writeChunk(client: pg.Client, chunk: Chunk | EncodedChunk, skipForeignKeyChecks = false): Promise<void> {
  await client.query('BEGIN');
  try {
    if (skipForeignKeyChecks) await client.query('SET LOCAL session_replication_role = replica');
    for (const table of TABLE_ORDER) {
      const rows = chunk[table];
      if (typeof rows === 'string') await copyInto(client, copyStatement(table), rows);
      else if (rows.length > 0) {
        const insert = insertStatement(table);
        await client.query(insert.sql, insert.params(rows));
      }
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}

/**
 * The floor to compare against: the same rows, already in COPY text, copied on one connection
 * into bare copies of the tables (same columns and indexes, WAL-logged like the real ones; no
 * foreign keys, no RLS, nothing generated). Rolled back. Answers rows per second.
 */
export async function measureBareCopy(
  client: pg.Client,
  chunks: readonly EncodedChunk[],
  rows: number,
): Promise<{ rows: number; rowsPerSecond: number }> {
  const texts = TABLE_ORDER.map((table) => ({ table, text: chunks.map((c) => c[table]).join('') }));
  await client.query('BEGIN');
  try {
    for (const table of TABLE_ORDER)
      await client.query(`CREATE TABLE "bare_${table}" (LIKE "${table}" INCLUDING DEFAULTS INCLUDING INDEXES)`);
    const started = performance.now();
    for (const { table, text } of texts) await copyInto(client, copyStatement(table, `"bare_${table}"`), text);
    const seconds = (performance.now() - started) / 1000;
    return { rows, rowsPerSecond: rows / Math.max(seconds, 1e-6) };
  } finally {
    await client.query('ROLLBACK');
  }
}
