// The embedded default: PGlite (PostgreSQL compiled to WebAssembly) served by
// pglite-socket, so the app, the worker and the migration runner all talk to it with
// the ordinary `pg` driver. pglite-socket takes no password, so `npm start` serves it on
// a Unix socket in a folder only the product's user may enter, never on a loopback port
// anything on the host could reach. Single-threaded: while one client is inside a
// transaction the others wait for it.
import { chmod, mkdir, rm } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import pg from 'pg';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts PGlite on `port` (0 picks a free one), or with `socketDir` on the Unix socket
 * `<socketDir>/.s.PGSQL.<port>` (where libpq and `pg` look for it) and no TCP port at all.
 * `dataDir` undefined keeps it in memory. `analyzeEveryMs` (60 s; 0 never) is how often the
 * autovacuum PGlite lacks would look for tables to analyze (see autoAnalyze).
 */
export async function startEmbeddedDatabase(
  options: { dataDir?: string; port?: number; socketDir?: string; analyzeEveryMs?: number } = {},
): Promise<EmbeddedDatabase> {
  const started = await serve(options);
  const stopAnalyzing = autoAnalyze(started.url, options.analyzeEveryMs ?? 60_000);
  return {
    url: started.url,
    async stop() {
      await stopAnalyzing();
      await started.stop();
    },
  };
}

async function serve(options: { dataDir?: string; port?: number; socketDir?: string }): Promise<EmbeddedDatabase> {
  if (options.dataDir) await mkdir(options.dataDir, { recursive: true });
  const db = await PGlite.create(options.dataDir);
  if (options.socketDir) {
    await mkdir(options.socketDir, { recursive: true, mode: 0o700 });
    await chmod(options.socketDir, 0o700);
    const port = options.port || 5433;
    const socket = path.join(options.socketDir, `.s.PGSQL.${port}`);
    await rm(socket, { force: true });
    const server = new PGLiteSocketServer({ db, path: socket, maxConnections: 100 });
    await server.start();
    return {
      url: `postgresql://postgres:postgres@localhost:${port}/postgres?host=${encodeURIComponent(options.socketDir)}&sslmode=disable`,
      async stop() {
        await server.stop();
        await db.close();
      },
    };
  }
  const port = options.port || (await freePort());
  const server = new PGLiteSocketServer({ db, port, host: '127.0.0.1', maxConnections: 100 });
  await server.start();
  return {
    url: `postgresql://postgres:postgres@127.0.0.1:${port}/postgres?sslmode=disable`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}

/**
 * PGlite runs no autovacuum, so without this its planner statistics never follow the data: a
 * table loaded after start is planned as nearly empty (nested loops over thousands of rows, a
 * page of evidence in seconds instead of tens of ms). Every `everyMs` this applies
 * autovacuum's own default rule (analyze once 50 rows + 10 % of the table changed since the
 * last ANALYZE), over an ordinary connection so that it queues behind other clients'
 * transactions like any of them. Returns the function that stops it.
 */
export function autoAnalyze(url: string, everyMs: number): () => Promise<void> {
  if (everyMs <= 0) return async () => {};
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let current: pg.Client | null = null;
  let stopped = false;
  const tick = async () => {
    const client = new pg.Client({ connectionString: url });
    // Dropped at stop, or by the server going away: an 'error' event without a listener would
    // take the whole process down with it.
    client.on('error', () => {});
    current = client;
    try {
      await client.connect();
      const { rows } = await client.query<{ name: string }>(
        `SELECT format('%I.%I', schemaname, relname) AS name FROM pg_stat_user_tables
         WHERE n_mod_since_analyze > 50 + 0.1 * greatest(n_live_tup, 0)`,
      );
      for (const { name } of rows) {
        if (stopped) break;
        await client.query(`ANALYZE ${name}`);
      }
    } catch (error) {
      if (!stopped) console.warn(`embedded database: analyze skipped (${String(error)})`);
    } finally {
      current = null;
      await client.end().catch(() => {});
    }
  };
  const schedule = () => {
    timer = setTimeout(() => {
      running = tick().finally(() => {
        if (!stopped) schedule();
      });
    }, everyMs);
    timer.unref();
  };
  schedule();
  return async () => {
    stopped = true;
    clearTimeout(timer);
    // A tick queued behind another client's open transaction would wait for it as long as it
    // stays open: its connection is dropped instead, and the database stops without it.
    const queued = current as pg.Client | null;
    if (queued) (queued as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    await running;
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}
