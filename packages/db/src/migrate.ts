// Prisma migrations without the native schema engine: Prisma's WebAssembly schema
// engine behind the pg driver adapter. It keeps Prisma's folder format
// (prisma/migrations/<timestamp>_<name>/migration.sql + migration_lock.toml) and its
// `_prisma_migrations` table, so the stock `prisma migrate deploy` works on the same
// folder for anyone with internet.
import { readFile, readdir, mkdir, writeFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { createRequire } from 'node:module';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import * as bg from '@prisma/schema-engine-wasm/schema_engine_bg';
import { repoRoot } from './paths.ts';
import { startEmbeddedDatabase } from './embedded.ts';

/** The schema's folder: one .prisma file per part of the domain (Prisma reads them as one). */
export const schemaPath = path.join(repoRoot, 'prisma', 'schema');
export const migrationsDir = path.join(repoRoot, 'prisma', 'migrations');
/** The schema as it stood when the last migration was written (readSchema's one text): the base of the next diff. */
export const snapshotPath = path.join(migrationsDir, 'schema.snapshot.prisma');

/**
 * A schema as one text: a .prisma file as it is, or a folder's .prisma files in name order,
 * each after a comment naming it (blocks may sit in any file, so the joined text is the same
 * schema).
 */
export async function readSchema(fileOrFolder: string): Promise<string> {
  const files = await schemaFiles(fileOrFolder);
  if (files.length === 1 && files[0]![0] === fileOrFolder) return files[0]![1];
  return files.map(([file, text]) => `// ---- ${path.basename(file)}\n${text}`).join('\n');
}

/** A schema's files as [path, text], in name order: what the engine reads (its errors then name the file). */
async function schemaFiles(fileOrFolder: string): Promise<[string, string][]> {
  if (!(await stat(fileOrFolder)).isDirectory()) return [[fileOrFolder, await readFile(fileOrFolder, 'utf8')]];
  const names = (await readdir(fileOrFolder)).filter((n) => n.endsWith('.prisma')).sort();
  return Promise.all(
    names.map(async (n): Promise<[string, string]> => [path.join(fileOrFolder, n), await readFile(path.join(fileOrFolder, n), 'utf8')]),
  );
}
const lockfileName = 'migration_lock.toml';
const filters = { externalTables: [], externalEnums: [] };

type Engine = bg.SchemaEngine;

/**
 * The pg adapter runs a migration script by splitting it on every ';', which breaks
 * on a semicolon in a comment, a string or a DO $$ … $$ block (the RLS section has
 * all three). Send the script whole instead: PostgreSQL runs a multi-statement
 * simple query as one implicit transaction, so a failed migration leaves nothing
 * half-applied.
 */
class WholeScriptPg extends PrismaPg {
  private readonly opened: { dispose(): Promise<void> }[] = [];

  /** The engine does not close its pool when disposed; we do, so databases can be dropped. */
  async close(): Promise<void> {
    await Promise.all(this.opened.splice(0).map((a) => a.dispose()));
  }

  override async connect() {
    const adapter = await super.connect();
    this.opened.push(adapter);
    const raw = adapter as unknown as { client: { query(sql: string): Promise<unknown> }; onError(e: unknown): never };
    adapter.executeScript = async (script: string) => {
      try {
        await raw.client.query(script);
      } catch (error) {
        raw.onError(error);
      }
    };
    return adapter;
  }
}
interface WasmApi {
  instantiate(bytes: Uint8Array, imports: Record<string, unknown>): Promise<{ instance: { exports: unknown } }>;
}
let wasmReady: Promise<void> | undefined;

function loadWasm(): Promise<void> {
  wasmReady ??= (async () => {
    const require = createRequire(import.meta.url);
    const wasmFile = path.join(path.dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg')), 'schema_engine_bg.wasm');
    // The package's main entry imports the .wasm as an ES module, which Node refuses:
    // instantiate it by hand against the JS glue it expects.
    const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
    const { instance } = await wasm.instantiate(await readFile(wasmFile), { './schema_engine_bg.js': bg });
    bg.__wbg_set_wasm(instance.exports);
    (instance.exports as { __wbindgen_start: () => void }).__wbindgen_start();
  })();
  return wasmReady;
}

async function withEngine<T>(connectionString: string | undefined, fn: (engine: Engine) => Promise<T>): Promise<T> {
  await loadWasm();
  // The engine connects when it is created, even for a diff between two datamodels
  // that never reads the database: give such a diff a throwaway in-memory one.
  const scratch = connectionString ? undefined : await startEmbeddedDatabase();
  const datamodels = await schemaFiles(schemaPath);
  const factory = new WholeScriptPg({ connectionString: connectionString ?? scratch!.url });
  const adapter = bindMigrationAwareSqlAdapterFactory(factory);
  try {
    const engine = await bg.SchemaEngine.new({ datamodels }, () => {}, adapter);
    try {
      return await fn(engine);
    } finally {
      engine[Symbol.dispose]?.();
    }
  } finally {
    await factory.close();
    await scratch?.stop();
  }
}

export interface Migration {
  name: string;
  sql: string;
}

export async function readMigrations(dir = migrationsDir): Promise<Migration[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  return Promise.all(names.map(async (name) => ({ name, sql: await readFile(path.join(dir, name, 'migration.sql'), 'utf8') })));
}

/** Applies every migration not yet recorded in `_prisma_migrations`; returns the names applied. */
export async function applyMigrations(connectionString: string, dir = migrationsDir): Promise<string[]> {
  const migrations = await readMigrations(dir);
  const lockfile = await readFile(path.join(dir, lockfileName), 'utf8').catch(() => null);
  return withEngine(connectionString, async (engine) => {
    const out = await engine.applyMigrations({
      migrationsList: {
        baseDir: dir,
        lockfile: { path: lockfileName, content: lockfile },
        shadowDbInitScript: '',
        migrationDirectories: migrations.map((m) => ({
          path: m.name,
          migrationFile: { path: 'migration.sql', content: { tag: 'ok', value: m.sql } },
        })),
      },
      filters,
    });
    return out.appliedMigrationNames;
  });
}

/** The SQL that turns a database built from `from` into one matching `to` (both datamodels); '' when they agree. */
export async function diffSchemas(from: string | null, to: string): Promise<string> {
  return withEngine(undefined, async (engine) => {
    const result = await engine.diff({
      from: from === null ? { tag: 'empty' } : { tag: 'schemaDatamodel', files: [{ path: 'from.prisma', content: from }] },
      to: { tag: 'schemaDatamodel', files: [{ path: 'to.prisma', content: to }] },
      script: true,
      exitCode: null,
      filters,
    });
    return normalizeDiff(result.stdout ?? '');
  });
}

function normalizeDiff(sql: string): string {
  return /^\s*(-- This is an empty migration\.)?\s*$/.test(sql) ? '' : sql;
}

/**
 * Writes prisma/migrations/<timestamp>_<name>/migration.sql with the diff from the
 * snapshot to today's schema (prisma/schema), and moves the snapshot forward. Returns the
 * folder, or null when there is nothing to migrate. The author then adds RLS
 * policies for any new tenant table by hand.
 */
export async function createMigration(
  name: string,
  /** schema: a .prisma file or a folder of them (default: the project's). */
  options: { schema?: string; dir?: string; now?: Date } = {},
): Promise<string | null> {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`migration name must be lower_snake_case, got "${name}"`);
  const dir = options.dir ?? migrationsDir;
  const snapshot = path.join(dir, path.basename(snapshotPath));
  const current = await readSchema(options.schema ?? schemaPath);
  const previous = await readFile(snapshot, 'utf8').catch(() => null);
  const sql = await diffSchemas(previous, current);
  if (!sql) return null;
  const stamp = (options.now ?? new Date()).toISOString().replace(/\D/g, '').slice(0, 14);
  const folder = path.join(dir, `${stamp}_${name}`);
  if (await stat(folder).catch(() => null)) throw new Error(`${folder} already exists`);
  await mkdir(folder, { recursive: true });
  await writeFile(path.join(folder, 'migration.sql'), sql);
  await writeFile(snapshot, current);
  const lock = path.join(dir, lockfileName);
  if (!(await stat(lock).catch(() => null))) {
    await writeFile(
      lock,
      '# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "postgresql"\n',
    );
  }
  return folder;
}
