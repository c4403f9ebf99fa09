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
import { copyLines, copyStatement, insertStatement, TABLE_ORDER } from './tables.ts';

export type WriteMethod = 'copy' | 'insert';

/** 'insert' on PGlite, 'copy' elsewhere. */
export async function detectMethod(client: pg.Client): Promise<WriteMethod> {
  const { rows } = await client.query<{ version: string }>('SELECT version()');
  return /PGlite/i.test(rows[0]?.version ?? '') ? 'insert' : 'copy';
}

/** Whether this connection may write every org's rows (superuser or BYPASSRLS). */
export async function bypassesRls(client: pg.Client): Promise<boolean> {
  const { rows } = await client.query<{ ok: boolean }>(
    'SELECT (rolsuper OR rolbypassrls) AS ok FROM pg_roles WHERE rolname = current_user',
  );
  return rows[0]?.ok === true;
}

async function copyInto(client: pg.Client, statement: string, text: string): Promise<void> {
  if (text.length === 0) return;
  await pipeline(Readable.from([text]), client.query(copyFrom(statement)));
}

export async function writeChunk(client: pg.Client, chunk: Chunk, method: WriteMethod): Promise<void> {
  await client.query('BEGIN');
  try {
    for (const table of TABLE_ORDER) {
      const rows = chunk[table];
      if (rows.length === 0) continue;
      if (method === 'copy') await copyInto(client, copyStatement(table), copyLines(rows));
      else {
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
 * The floor to compare against: the same rows, already turned into COPY text, copied into bare
 * temporary copies of the tables (same columns and indexes; no foreign keys, no RLS, no
 * generation). Rolled back. Answers rows per second.
 */
export async function measureBareCopy(client: pg.Client, chunks: readonly Chunk[]): Promise<{ rows: number; rowsPerSecond: number }> {
  const texts = TABLE_ORDER.map((table) => ({ table, text: chunks.map((c) => copyLines(c[table])).join('') }));
  const rows = chunks.reduce((sum, c) => sum + TABLE_ORDER.reduce((s, t) => s + c[t].length, 0), 0);
  await client.query('BEGIN');
  try {
    for (const table of TABLE_ORDER)
      await client.query(`CREATE TEMP TABLE "bare_${table}" (LIKE "${table}" INCLUDING DEFAULTS INCLUDING INDEXES) ON COMMIT DROP`);
    const started = performance.now();
    for (const { table, text } of texts) await copyInto(client, copyStatement(table, `"bare_${table}"`), text);
    const seconds = (performance.now() - started) / 1000;
    return { rows, rowsPerSecond: rows / Math.max(seconds, 1e-6) };
  } finally {
    await client.query('ROLLBACK');
  }
}
