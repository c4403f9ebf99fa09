// The embedded default (PGlite behind pglite-socket) must behave like PostgreSQL for
// everything the product relies on: the migrations, RLS, and data surviving a restart.
import { existsSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { describe, it, expect } from 'vitest';
import { createDatabase } from './client.ts';
import { startEmbeddedDatabase } from './embedded.ts';
import { applyMigrations } from './migrate.ts';

describe('the embedded database', () => {
  it('takes the migrations, enforces RLS and keeps its data across a restart', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'parallax-pglite-'));
    try {
      let embedded = await startEmbeddedDatabase({ dataDir });
      expect((await applyMigrations(embedded.url)).length).toBeGreaterThanOrEqual(1);
      let db = createDatabase(embedded.url, { maxConnections: 2 });
      await db.scoped({ orgId: 'org-e' }, (tx) => tx.organization.create({ data: { id: 'org-e', slug: 'org-e', name: 'Embedded' } }));
      expect(await db.scoped({}, (tx) => tx.organization.count())).toBe(0);
      await expect(db.forOrg('org-e', (tx) => tx.team.create({ data: { orgId: 'someone-else', name: 'x', slug: 'x' } }))).rejects.toThrow();
      await db.disconnect();
      await embedded.stop();

      embedded = await startEmbeddedDatabase({ dataDir });
      expect(await applyMigrations(embedded.url)).toEqual([]);
      db = createDatabase(embedded.url, { maxConnections: 2 });
      expect(await db.forOrg('org-e', (tx) => tx.organization.findUnique({ where: { id: 'org-e' } }))).toMatchObject({ name: 'Embedded' });
      await db.disconnect();
      await embedded.stop();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('analyzes the tables that changed, as the autovacuum PGlite lacks would, and leaves the rest', async () => {
    const embedded = await startEmbeddedDatabase({ analyzeEveryMs: 100 });
    const client = new pg.Client({ connectionString: embedded.url });
    try {
      await client.connect();
      await client.query('CREATE TABLE big (n int); CREATE TABLE small (n int)');
      await client.query('INSERT INTO big SELECT generate_series(1, 2000); INSERT INTO small SELECT generate_series(1, 10)');
      const analyzed = async () =>
        (
          await client.query<{ relname: string; reltuples: number; analyzed: boolean }>(
            `SELECT c.relname, c.reltuples::int AS reltuples, s.last_analyze IS NOT NULL AS analyzed
             FROM pg_class c JOIN pg_stat_user_tables s ON s.relid = c.oid WHERE c.relname IN ('big', 'small') ORDER BY c.relname`,
          )
        ).rows;
      const deadline = Date.now() + 20_000;
      while (!(await analyzed())[0]!.analyzed && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      // big changed by 2000 rows (over 50 + 10 %): analyzed, its row count known; small by 10: not yet.
      expect(await analyzed()).toEqual([
        { relname: 'big', reltuples: 2000, analyzed: true },
        { relname: 'small', reltuples: -1, analyzed: false },
      ]);
    } finally {
      await client.end();
      await embedded.stop();
    }
  });

  it('stops while another client holds a transaction open, with an analyze queued behind it', async () => {
    const embedded = await startEmbeddedDatabase({ analyzeEveryMs: 20 });
    const holder = new pg.Client({ connectionString: embedded.url });
    holder.on('error', () => {});
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query('SELECT 1');
    // A second connection waits for the open transaction before it is even accepted: a tick
    // (every 20 ms) is certainly waiting so too once this one is seen waiting.
    const other = new pg.Client({ connectionString: embedded.url });
    other.on('error', () => {});
    const connected = other.connect().then(
      () => 'connected',
      () => 'refused',
    );
    expect(await Promise.race([connected, new Promise((r) => setTimeout(() => r('waiting'), 300))])).toBe('waiting');
    // Returns (the test would time out otherwise), though the transaction never ends.
    await embedded.stop();
  });

  it('serves on a Unix socket only its own user may enter, and on no TCP port', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'parallax-pglite-'));
    const socketDir = path.join(dataDir, 'run');
    try {
      const embedded = await startEmbeddedDatabase({ dataDir: path.join(dataDir, 'pglite'), socketDir, port: 5499 });
      expect(new URL(embedded.url).searchParams.get('host')).toBe(socketDir);
      expect((await stat(socketDir)).mode & 0o777).toBe(0o700);
      expect(existsSync(path.join(socketDir, '.s.PGSQL.5499'))).toBe(true);
      expect((await applyMigrations(embedded.url)).length).toBeGreaterThanOrEqual(1);
      const db = createDatabase(embedded.url, { maxConnections: 2 });
      expect(await db.scoped({}, (tx) => tx.organization.count())).toBe(0);
      await db.disconnect();
      // Nothing listens on the loopback port the socket is named after.
      const refused = await new Promise<boolean>((resolve) => {
        const probe = net.connect(5499, '127.0.0.1');
        probe.once('connect', () => {
          probe.destroy();
          resolve(false);
        });
        probe.once('error', () => resolve(true));
      });
      expect(refused).toBe(true);
      await embedded.stop();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
