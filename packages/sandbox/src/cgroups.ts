// Memory and CPU limits for one session's sandbox, as a control group of its own below the
// worker's: an agent that allocates without end or spins every core is stopped or slowed
// there, not the worker, the product or the other sessions on the host. cgroup v2 where the
// worker's cgroup delegates the memory and cpu controllers (systemd Delegate=, a container
// with its own cgroup namespace), else cgroup v1's memory and cpu hierarchies.
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rmdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface ResourceLimits {
  /** Memory (swap included where the kernel counts it) for everything in the sandbox at once. */
  memoryBytes: number;
  /** CPU time per wall-clock second, in cores (1.5 = one and a half cores). */
  cpus: number;
}

export const DEFAULT_LIMITS: ResourceLimits = { memoryBytes: 4 * 1024 ** 3, cpus: 2 };

export interface SessionCgroup {
  readonly version: 1 | 2;
  /** The cgroup.procs files a process is written into before it execs the sandbox. */
  readonly procsFiles: string[];
  /** The cgroup's folders (one per v1 hierarchy, one for v2). */
  readonly dirs: string[];
  /** How many times the kernel killed a process here for going over the memory limit. */
  oomKills(): Promise<number>;
  /** Removes the cgroup; its processes must be gone. */
  close(): Promise<void>;
}

const ROOT = '/sys/fs/cgroup';
/** Below the worker's own cgroup: one folder per live sandbox. */
const PARENT = 'parallax-sandbox';

/**
 * Makes `<worker's cgroup>/parallax-sandbox/<name>` with the limits written, or answers why
 * it cannot (not root, no writable cgroup fs, controllers not delegated).
 */
export async function openSessionCgroup(name: string, limits: ResourceLimits): Promise<SessionCgroup | { unavailable: string }> {
  if (!/^[A-Za-z0-9_-]{1,100}$/.test(name)) throw new Error(`not a cgroup name: ${name}`);
  try {
    if (existsSync(path.join(ROOT, 'cgroup.controllers'))) return await openV2(name, limits);
    if (existsSync(path.join(ROOT, 'memory', 'cgroup.procs'))) return await openV1(name, limits);
    return { unavailable: `no cgroup file system at ${ROOT}` };
  } catch (err) {
    return { unavailable: (err as Error).message };
  }
}

/** The worker's own cgroup path in a hierarchy, from /proc/self/cgroup ("0::/a/b" for v2, "4:memory:/a/b" for v1). */
function ownCgroup(controller: string | null): string {
  for (const line of readFileSync('/proc/self/cgroup', 'utf8').split('\n')) {
    const [, controllers, where] = line.split(':');
    if (where === undefined) continue;
    if (controller === null ? controllers === '' : controllers?.split(',').includes(controller)) return where;
  }
  throw new Error(`the worker is in no ${controller ?? 'cgroup v2'} cgroup`);
}

async function openV1(name: string, limits: ResourceLimits): Promise<SessionCgroup> {
  const dirs: string[] = [];
  try {
    for (const controller of ['memory', 'cpu']) {
      const dir = path.join(ROOT, controller, ownCgroup(controller), PARENT, name);
      await mkdir(dir, { recursive: true });
      dirs.push(dir);
    }
    const [memory, cpu] = dirs as [string, string];
    await writeFile(path.join(memory, 'memory.limit_in_bytes'), String(limits.memoryBytes));
    // Swap counts too where the kernel accounts it; else an agent could page its way past the limit.
    if (existsSync(path.join(memory, 'memory.memsw.limit_in_bytes')))
      await writeFile(path.join(memory, 'memory.memsw.limit_in_bytes'), String(limits.memoryBytes));
    await writeFile(path.join(cpu, 'cpu.cfs_period_us'), '100000');
    await writeFile(path.join(cpu, 'cpu.cfs_quota_us'), String(Math.max(1_000, Math.round(limits.cpus * 100_000))));
  } catch (err) {
    await removeAll(dirs);
    throw new Error(`cgroup v1 is not writable here (${(err as Error).message})`);
  }
  const [memory] = dirs as [string];
  return {
    version: 1,
    dirs,
    procsFiles: dirs.map((dir) => path.join(dir, 'cgroup.procs')),
    oomKills: async () => {
      const control = await readFile(path.join(memory, 'memory.oom_control'), 'utf8').catch(() => '');
      const kills = /^oom_kill (\d+)$/m.exec(control)?.[1];
      if (kills !== undefined) return Number(kills);
      // Older kernels count only hits of the limit.
      return Number((await readFile(path.join(memory, 'memory.failcnt'), 'utf8').catch(() => '0')).trim()) > 0 ? 1 : 0;
    },
    close: () => removeAll(dirs),
  };
}

async function openV2(name: string, limits: ResourceLimits): Promise<SessionCgroup> {
  const parent = path.join(ROOT, ownCgroup(null), PARENT);
  const dir = path.join(parent, name);
  try {
    await mkdir(parent, { recursive: true });
    // The controllers must be on for the parent's children; the worker's own cgroup has to delegate them.
    await writeFile(path.join(parent, 'cgroup.subtree_control'), '+memory +cpu');
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'memory.max'), String(limits.memoryBytes));
    await writeFile(path.join(dir, 'memory.swap.max'), '0').catch(() => {}); // no swap accounting: nothing to close
    await writeFile(path.join(dir, 'cpu.max'), `${Math.max(1_000, Math.round(limits.cpus * 100_000))} 100000`);
  } catch (err) {
    await removeAll([dir]);
    throw new Error(`cgroup v2 does not delegate memory and cpu to the worker (${(err as Error).message})`);
  }
  return {
    version: 2,
    dirs: [dir],
    procsFiles: [path.join(dir, 'cgroup.procs')],
    oomKills: async () => {
      const events = await readFile(path.join(dir, 'memory.events'), 'utf8').catch(() => '');
      return Number(/^oom_kill (\d+)$/m.exec(events)?.[1] ?? 0);
    },
    close: () => removeAll([dir]),
  };
}

async function removeAll(dirs: string[]): Promise<void> {
  for (const dir of dirs) {
    // A process that just exited may still be counted for a moment.
    for (let attempt = 0; attempt < 20; attempt++) {
      try {
        await rmdir(dir);
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') break;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  }
}

/** "4g", "512m", "1073741824": bytes; throws on anything else. */
export function parseMemory(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?$/i.exec(text.trim());
  if (!match) throw new Error(`not an amount of memory: ${text} (say 4g, 512m or a number of bytes)`);
  const scale = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 }[match[2]!.toLowerCase() as '' | 'k' | 'm' | 'g' | 't'];
  const bytes = Math.round(Number(match[1]) * scale);
  if (bytes < 64 * 1024 ** 2) throw new Error(`a sandbox needs at least 64m of memory, not ${text}`);
  return bytes;
}

export function parseCpus(text: string): number {
  const cpus = Number(text.trim());
  if (!Number.isFinite(cpus) || cpus < 0.05 || cpus > 1024) throw new Error(`not a number of CPUs: ${text} (say 2 or 0.5)`);
  return cpus;
}
