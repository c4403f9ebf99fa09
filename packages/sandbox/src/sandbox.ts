// A sandbox for the commands of one agent session: the agent, the repository's checks,
// its setup and teardown. Open it, spawn commands in it, close it. Fails closed: when
// bubblewrap cannot run here, opening throws SandboxUnavailableError with the reason,
// and only an operator's explicit PARALLAX_SANDBOX=off runs commands unsandboxed.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, rm } from 'node:fs/promises';
import { connect, createServer, type Server } from 'node:net';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parseAllowedHost } from './allowed-hosts.ts';
import { seccompProgram } from './seccomp.ts';
import { DEFAULT_LIMITS, openSessionCgroup, parseCpus, parseMemory, type ResourceLimits } from './cgroups.ts';
import { assertReachable, insidePath, isReachable, realFile, toolchainDirs } from './binds.ts';
import { SandboxUnavailableError } from './errors.ts';
import { bubblewrapArgs, INSIDE, proxyEnv } from './bubblewrap.ts';
import { type EgressProxy, startEgressProxy } from './egress-proxy.ts';
import { type HeldNamespace, hasLiveGroupMembers, holdNamespace, stopGroup, stopNamespace, waitForNamespaceGone } from './processes.ts';

const run = promisify(execFile);

export type SandboxMode = 'bubblewrap' | 'unsandboxed';

export { SandboxUnavailableError };

/** PARALLAX_SANDBOX: unset or "bubblewrap" sandboxes every agent; "off" is the explicit single-tenant mode. */
export function sandboxModeFromEnv(env: Record<string, string | undefined> = process.env): SandboxMode {
  const value = env.PARALLAX_SANDBOX?.trim().toLowerCase();
  if (!value || value === 'bubblewrap' || value === 'on') return 'bubblewrap';
  if (value === 'off' || value === 'unsandboxed') return 'unsandboxed';
  throw new Error(
    `PARALLAX_SANDBOX must be "bubblewrap" (the default) or "off" (no sandbox: single-tenant self-hosting only), not "${env.PARALLAX_SANDBOX}"`,
  );
}

/** The operator's sandbox settings for a worker. */
export interface SandboxSettings {
  mode: SandboxMode;
  /** Toolchains outside /usr made visible read-only. */
  toolchains?: string[];
  /** Ports on the worker's loopback agents may reach as host.parallax.internal (a model gateway). */
  hostServicePorts?: number[];
  /** Memory and CPU per session's sandbox; default DEFAULT_LIMITS. */
  limits?: ResourceLimits;
}

/**
 * PARALLAX_SANDBOX, PARALLAX_SANDBOX_TOOLCHAINS (absolute folders, ':'-separated),
 * PARALLAX_SANDBOX_HOST_PORTS (comma-separated), PARALLAX_SANDBOX_MEMORY ("4g"), PARALLAX_SANDBOX_CPUS ("2").
 */
export function sandboxSettingsFromEnv(env: Record<string, string | undefined>): SandboxSettings {
  const toolchains = (env.PARALLAX_SANDBOX_TOOLCHAINS ?? '').split(':').filter(Boolean);
  for (const dir of toolchains) {
    if (!path.isAbsolute(dir)) throw new Error(`PARALLAX_SANDBOX_TOOLCHAINS: "${dir}" is not an absolute folder`);
  }
  const hostServicePorts = (env.PARALLAX_SANDBOX_HOST_PORTS ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => {
      const port = Number(p);
      if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`PARALLAX_SANDBOX_HOST_PORTS: "${p}" is not a port`);
      return port;
    });
  const limits = {
    memoryBytes: env.PARALLAX_SANDBOX_MEMORY?.trim()
      ? named('PARALLAX_SANDBOX_MEMORY', () => parseMemory(env.PARALLAX_SANDBOX_MEMORY!))
      : DEFAULT_LIMITS.memoryBytes,
    cpus: env.PARALLAX_SANDBOX_CPUS?.trim()
      ? named('PARALLAX_SANDBOX_CPUS', () => parseCpus(env.PARALLAX_SANDBOX_CPUS!))
      : DEFAULT_LIMITS.cpus,
  };
  return { mode: sandboxModeFromEnv(env), toolchains, hostServicePorts, limits };
}

function named<T>(variable: string, parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    throw new Error(`${variable}: ${(err as Error).message}`);
  }
}

export interface SandboxOptions {
  mode: SandboxMode;
  /** The only folder commands may write besides their HOME and /tmp (the session's worktree). */
  workdir: string;
  /** The session's private HOME on the host; agent CLIs keep their state there between runs. */
  homeDir: string;
  /** A folder of the worker's for the sandbox's sockets; never visible inside. */
  runtimeDir: string;
  /** More folders readable inside, at their own paths (the mirror's object store). */
  readOnly?: string[];
  /**
   * Toolchains outside /usr the operator makes visible read-only (PARALLAX_SANDBOX_TOOLCHAINS).
   * Never derived from a command's PATH: that would let whoever sets PATH mount host folders.
   */
  toolchains?: string[];
  /** Hosts the egress proxy lets through (see allowed-hosts.ts); empty: no network at all. */
  allowedHosts?: readonly string[];
  /** The operator's: ports on the worker's loopback agents may reach as host.parallax.internal:<port>. */
  hostServicePorts?: readonly number[];
  /** When the worker runs as root (required then): the unprivileged uid (and gid) commands run as, unique per live session. */
  uid?: number;
  /** Folders no toolchain bind may contain or sit inside (the product's data folder, its checkout). */
  protectedDirs?: string[];
  /** Processes (threads included) the session's uid may have at once; default 1024. */
  maxProcesses?: number;
  /** TCP services the command reaches on its own loopback at `port`, relayed to `target` (the session's database server). */
  forwards?: { port: number; target: { host: string; port: number } }[];
  /** Called for each connection the egress proxy refuses. */
  onRefused?: (target: string, reason: string) => void;
  /** Memory and CPU for everything in the sandbox at once (a cgroup of its own); default DEFAULT_LIMITS. */
  limits?: ResourceLimits;
  /** What the session's log should say about its limits: none could be set here, a process went over memory. */
  onNotice?: (message: string) => void;
}

export interface SandboxCommand {
  /** An absolute path, as resolved on the worker's PATH. */
  file: string;
  args: string[];
  cwd: string;
  /** The command's whole environment: an allowlist the caller built, never the worker's. */
  env: Record<string, string>;
  stdin?: 'pipe' | 'ignore';
}

export interface SandboxedProcess {
  readonly child: ChildProcess & { stdout: Readable; stderr: Readable; stdin: Writable | null };
  /** Stops everything the command started (SIGTERM, SIGKILL after the grace period); resolves when all of it is gone. */
  stop(graceMs: number): Promise<void>;
  /** After the command exits: resolves once nothing it started is left running. */
  settled(): Promise<void>;
}

export interface Sandbox {
  readonly mode: SandboxMode;
  /** The limits in force and the cgroup folders holding them; null where none could be set. */
  readonly limits: (ResourceLimits & { cgroupDirs: string[] }) | null;
  spawn(command: SandboxCommand): SandboxedProcess;
  close(): Promise<void>;
}

/** Resolved when a sandbox spawns, not at import: the web app bundles this module (for its types and checks) and never spawns. */
const relayScript = () => path.join(path.dirname(fileURLToPath(import.meta.url)), 'relay.mjs');
const MAX_PROCESSES = 1024;
const MAX_FILE_BYTES = 4 * 1024 ** 3;

export async function openSandbox(options: SandboxOptions): Promise<Sandbox> {
  if (options.mode === 'unsandboxed') return unsandboxed();
  const bwrap = await findBubblewrap();
  const asRoot = process.getuid?.() === 0;
  if (asRoot && (options.uid === undefined || options.uid < 1000)) {
    throw new SandboxUnavailableError('a worker running as root needs an unprivileged uid (1000 or above) for each session’s sandbox');
  }
  const uid = options.uid ?? -1;
  const reason = await probeBubblewrap(bwrap, asRoot ? uid : null);
  if (reason) {
    throw new SandboxUnavailableError(
      `the agent sandbox cannot be set up on this worker: ${reason}. Install bubblewrap and allow user namespaces, or start the worker with PARALLAX_SANDBOX=off (no sandbox: single-tenant self-hosting only)`,
    );
  }
  const allowed = (options.allowedHosts ?? []).map(parseAllowedHost);
  for (const dir of [options.homeDir, options.runtimeDir]) {
    await mkdir(path.dirname(dir), { recursive: true });
    await mkdir(dir, { recursive: true, mode: 0o700 });
  }
  if (asRoot) {
    // The session's own folders become the sandbox user's, and only its: no other host user may enter them.
    const own = [options.workdir, options.homeDir, options.runtimeDir];
    await run('chown', ['-R', '--no-dereference', `${uid}:${uid}`, ...own]);
    await Promise.all(own.map((dir) => chmod(dir, 0o700)));
    // bwrap sets the sandbox up as that user, so it must be able to walk to each folder it binds.
    for (const dir of [...own, ...(options.readOnly ?? [])]) assertReachable(dir, uid);
  }

  let proxy: EgressProxy | null = null;
  const forwards: { port: number; hostSocket: string }[] = [];
  const servers: Server[] = [];
  const giveToSandbox = (socketPath: string) => (asRoot ? chown(socketPath, uid, uid) : chmod(socketPath, 0o600));
  if (allowed.length > 0 || (options.hostServicePorts ?? []).length > 0) {
    proxy = await startEgressProxy({
      socketPath: path.join(options.runtimeDir, 'egress.sock'),
      allowed,
      hostServicePorts: options.hostServicePorts,
      onRefused: options.onRefused,
    });
    await giveToSandbox(proxy.socketPath);
    forwards.push({ port: INSIDE.proxyPort, hostSocket: proxy.socketPath });
  }
  for (const forward of options.forwards ?? []) {
    const hostSocket = path.join(options.runtimeDir, `forward-${forward.port}.sock`);
    servers.push(await forwardTo(hostSocket, forward.target));
    await giveToSandbox(hostSocket);
    forwards.push({ port: forward.port, hostSocket });
  }
  const protectedDirs = (options.protectedDirs ?? []).map((dir) => path.resolve(dir));
  const running = new Set<SandboxedProcess>();
  const limits = options.limits ?? DEFAULT_LIMITS;
  const opened = await openSessionCgroup(`${asRoot ? uid : process.pid}-${randomBytes(4).toString('hex')}`, limits);
  const cgroup = 'unavailable' in opened ? null : opened;
  if ('unavailable' in opened) options.onNotice?.(`no memory or CPU limit on this worker: ${opened.unavailable}`);
  const seccomp = seccompProgram();
  if (!seccomp) options.onNotice?.(`no system call filter on ${process.arch}: only x64 and arm64 have one`);
  let oomKills = 0;
  const noticeOutOfMemory = async () => {
    const kills = (await cgroup?.oomKills()) ?? 0;
    if (kills > oomKills)
      options.onNotice?.(`a process went over the sandbox’s memory limit (${formatBytes(limits.memoryBytes)}) and was killed`);
    oomKills = kills;
  };

  return {
    mode: 'bubblewrap',
    limits: cgroup ? { ...limits, cgroupDirs: cgroup.dirs } : null,
    spawn(command) {
      const toolchains = toolchainDirs(command, options.toolchains ?? [], protectedDirs).filter((dir) => !asRoot || isReachable(dir, uid));
      const args = bubblewrapArgs({
        workdir: options.workdir,
        homeDir: options.homeDir,
        readOnly: [...(options.readOnly ?? []), ...toolchains],
        forwards,
        relayScript: relayScript(),
        nodeBinary: process.execPath,
        cwd: command.cwd,
        // The resolved file: a node_modules/.bin link points into a package, and only the package is bound.
        file: realFile(command.file),
        args: command.args,
        infoFd: 3,
        seccompFd: seccomp ? 4 : undefined,
      });
      const env: Record<string, string> = {
        ...withoutLoaderControls(command.env),
        PATH: insidePath(command.env.PATH, toolchains),
        HOME: INSIDE.home,
        TMPDIR: '/tmp',
        ...(proxy ? proxyEnv() : {}),
      };
      // Secrets travel in the environment, never in argv (which every host user can read).
      // RLIMIT_NPROC counts the session uid's processes: a fork bomb stops at the limit and hurts only its own session.
      const rlimits = [
        'prlimit',
        ...(asRoot ? [`--nproc=${options.maxProcesses ?? MAX_PROCESSES}`] : []),
        `--fsize=${MAX_FILE_BYTES}`,
        '--',
      ];
      const drop = asRoot
        ? [
            'setpriv',
            `--reuid=${uid}`,
            `--regid=${uid}`,
            '--clear-groups',
            '--inh-caps=-all',
            '--bounding-set=-all',
            '--no-new-privs',
            '--',
          ]
        : [];
      // Into the session's cgroup before anything runs: the shell writes its own pid, then execs the rest.
      const join = cgroup ? ['/bin/sh', '-c', JOIN_CGROUP, 'sh', ...cgroup.procsFiles, '--'] : [];
      const [file, ...argv] = [...join, ...rlimits, ...drop, bwrap, ...args] as [string, ...string[]];
      const child: ChildProcess = spawn(file, argv, {
        cwd: '/',
        env: env as NodeJS.ProcessEnv, // Next.js declares NODE_ENV required on ProcessEnv
        detached: true,
        stdio: [command.stdin ?? 'ignore', 'pipe', 'pipe', 'pipe', ...(seccomp ? (['pipe'] as const) : [])],
      });
      if (seccomp) (child.stdio[4] as Writable).end(seccomp);
      const namespace = readNamespace(child);
      const killLeader = () => {
        // Once reaped, its pid may be another process's: never signal it then.
        if (child.exitCode !== null || child.signalCode !== null) return;
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {}
      };
      const proc: SandboxedProcess = {
        child: child as SandboxedProcess['child'],
        async stop(graceMs) {
          const ns = await namespace;
          if (ns === null) killLeader();
          else await stopNamespace(ns, graceMs, killLeader);
          running.delete(proc);
        },
        async settled() {
          const ns = await namespace;
          if (ns !== null) await waitForNamespaceGone(ns);
          running.delete(proc);
          await noticeOutOfMemory();
        },
      };
      running.add(proc);
      return proc;
    },
    async close() {
      await Promise.all([...running].map((p) => p.stop(0).catch(() => {})));
      await proxy?.close();
      await Promise.all(servers.map((server) => new Promise((done) => server.close(done))));
      await cgroup?.close();
    },
  };
}

/**
 * Variables that make a shell or the dynamic loader run something else. The first steps of a
 * spawn (the cgroup join, prlimit, setpriv) run as root with the command's environment, so
 * none of these may reach them, whoever set them (an org secret's name is an org admin's text).
 */
const LOADER_CONTROLS =
  /^(ENV|BASH_ENV|BASH_FUNC_.*|IFS|SHELLOPTS|BASHOPTS|PS4|CDPATH|LD_.*|GCONV_PATH|LOCPATH|MALLOC_.*|GLIBC_TUNABLES|NODE_OPTIONS)$/;

function withoutLoaderControls(env: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !LOADER_CONTROLS.test(name)));
}

const JOIN_CGROUP = 'while [ "$1" != -- ]; do echo $$ > "$1" || exit 125; shift; done; shift; exec "$@"';

function formatBytes(bytes: number): string {
  return bytes % 1024 ** 3 === 0 ? `${bytes / 1024 ** 3} GiB` : `${Math.round(bytes / 1024 ** 2)} MiB`;
}

/** A Unix socket whose every connection is piped to `target`: one TCP service, and nothing else of the host's network. */
async function forwardTo(socketPath: string, target: { host: string; port: number }): Promise<Server> {
  await rm(socketPath, { force: true });
  const server = createServer((inside) => {
    const outside = connect(target.port, target.host);
    inside.pipe(outside);
    outside.pipe(inside);
    inside.on('error', () => outside.destroy());
    outside.on('error', () => inside.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => resolve());
  });
  return server;
}

/**
 * bwrap writes {"child-pid", "pid-namespace", …} on the info fd once the sandbox is up; the
 * namespace is held from then on. Null if it never came up, or already ended.
 */
function readNamespace(child: ChildProcess): Promise<HeldNamespace | null> {
  const info = child.stdio[3] as Readable | null;
  if (!info) return Promise.resolve(null);
  return new Promise((resolve) => {
    let text = '';
    let settled = false;
    const done = (ns: HeldNamespace | null) => {
      if (settled) return ns?.release();
      settled = true;
      resolve(ns);
    };
    info.setEncoding('utf8');
    info.on('data', (chunk: string) => {
      text += chunk;
    });
    info.once('close', () => {
      if (settled) return;
      try {
        const parsed = JSON.parse(text) as { 'child-pid'?: number; 'pid-namespace'?: number };
        const [pid, ns] = [parsed['child-pid'], parsed['pid-namespace']];
        done(typeof pid === 'number' && typeof ns === 'number' ? holdNamespace(pid, ns) : null);
      } catch {
        done(null);
      }
    });
    info.on('error', () => done(null));
  });
}

async function findBubblewrap(): Promise<string> {
  for (const dir of (process.env.PATH ?? '').split(':').concat(['/usr/bin', '/usr/local/bin'])) {
    const candidate = path.join(dir || '.', 'bwrap');
    if (existsSync(candidate)) return candidate;
  }
  throw new SandboxUnavailableError(
    'the agent sandbox needs bubblewrap, which is not installed on this worker (apt-get install bubblewrap); or start the worker with PARALLAX_SANDBOX=off (no sandbox: single-tenant self-hosting only)',
  );
}

let probed: Promise<string | null> | null = null;

/** Null when bubblewrap runs here (user namespaces allowed); else what it said. A success is remembered, a failure asked again. */
function probeBubblewrap(bwrap: string, uid: number | null): Promise<string | null> {
  probed ??= (async () => {
    const inner = [
      bwrap,
      '--unshare-all',
      '--die-with-parent',
      '--ro-bind',
      '/usr',
      '/usr',
      '--symlink',
      'usr/bin',
      '/bin',
      '--symlink',
      'usr/lib',
      '/lib',
      '--symlink',
      'usr/lib64',
      '/lib64',
      '--',
      '/usr/bin/true',
    ];
    const [file, args] =
      uid === null
        ? [bwrap, inner.slice(1)]
        : ['setpriv', [`--reuid=${uid}`, `--regid=${uid}`, '--clear-groups', '--no-new-privs', '--', ...inner]];
    try {
      await run(file as string, args as string[], { timeout: 10_000 });
      return null;
    } catch (err) {
      const e = err as { stderr?: string; message: string };
      return (e.stderr?.trim() || e.message).split('\n')[0] ?? 'bubblewrap failed';
    }
  })();
  const result = probed;
  void result.then((reason) => {
    if (reason) probed = null;
  });
  return result;
}

/**
 * No sandbox: commands run as the worker's user with the host's files and network, each
 * in its own process group. Only for the operator's explicit PARALLAX_SANDBOX=off
 * (single-tenant self-hosting) and for tests of what runs inside.
 */
export function unsandboxed(): Sandbox {
  return {
    mode: 'unsandboxed',
    limits: null,
    spawn(command) {
      const child: ChildProcess = spawn(command.file, command.args, {
        cwd: command.cwd,
        env: command.env as NodeJS.ProcessEnv,
        detached: true,
        stdio: [command.stdin ?? 'ignore', 'pipe', 'pipe'],
      });
      // Once the leader is reaped and its group empty, the group's id is free for a new group:
      // never signal it after that.
      let groupGone = false;
      const stopAll = async (graceMs: number) => {
        if (child.pid === undefined || groupGone) return;
        await stopGroup(child.pid, graceMs);
        const reaped = child.exitCode !== null || child.signalCode !== null;
        if (reaped && !hasLiveGroupMembers(child.pid)) groupGone = true;
      };
      return {
        child: child as SandboxedProcess['child'],
        stop: stopAll,
        // Whatever the command left in its group (a dev server, a watcher) goes with it.
        settled: () => stopAll(2_000),
      };
    },
    async close() {},
  };
}
