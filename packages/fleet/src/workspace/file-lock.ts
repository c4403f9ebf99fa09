// An exclusive lock on a path, good across processes on one machine: the lock is a
// file created with O_EXCL. Its holder touches it every few seconds, so a lock whose
// holder died (a killed worker) goes stale and is taken over. The holder's pid only
// speeds that up where it can be trusted: same host and same pid namespace (a
// restarted container reuses pids, another container's pids are not ours to see).
// Callers in one process queue on a promise chain instead of polling the file.
import { randomUUID } from 'node:crypto';
import { link, open, readFile, readlink, rename, rm, stat, utimes } from 'node:fs/promises';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';

export interface LockOptions {
  /** A lock not touched for this long belongs to a dead holder. */
  staleMs?: number;
  /** How often the holder touches its lock. */
  refreshMs?: number;
  /** Give up waiting after this long. */
  timeoutMs?: number;
}

const DEFAULTS = { staleMs: 30_000, refreshMs: 5_000, timeoutMs: 30 * 60_000 } satisfies Required<LockOptions>;

const queues = new Map<string, Promise<unknown>>();

export class LockTimeout extends Error {
  constructor(readonly lockPath: string) {
    super(`Timed out waiting for the lock ${lockPath}`);
    this.name = 'LockTimeout';
  }
}

/** Runs `work` while holding the lock at `lockPath`; releases it however `work` ends. */
export function withFileLock<T>(lockPath: string, work: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const settings = { ...DEFAULTS, ...options };
  const previous = queues.get(lockPath) ?? Promise.resolve();
  const run = previous.catch(() => {}).then(() => holdFileLock(lockPath, work, settings));
  const tail = run.catch(() => {});
  queues.set(lockPath, tail);
  void tail.then(() => {
    if (queues.get(lockPath) === tail) queues.delete(lockPath);
  });
  return run;
}

async function holdFileLock<T>(lockPath: string, work: () => Promise<T>, settings: Required<LockOptions>): Promise<T> {
  await acquire(lockPath, settings);
  const refresh = setInterval(() => {
    const now = new Date();
    utimes(lockPath, now, now).catch(() => {});
  }, settings.refreshMs);
  refresh.unref();
  try {
    return await work();
  } finally {
    clearInterval(refresh);
    await rm(lockPath, { force: true });
  }
}

async function acquire(lockPath: string, settings: Required<LockOptions>): Promise<void> {
  const deadline = Date.now() + settings.timeoutMs;
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await open(lockPath, 'wx');
      await handle.writeFile(JSON.stringify({ ...(await ownIdentity()), at: new Date().toISOString() }));
      await handle.close();
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    await breakIfStale(lockPath, settings.staleMs);
    if (Date.now() > deadline) throw new LockTimeout(lockPath);
    await sleep(Math.min(250, 10 * 2 ** Math.min(attempt, 5)) + Math.random() * 20);
  }
}

/**
 * Moves a stale lock aside. The rename is atomic, so of two waiters that both saw it
 * stale only one moves it; the other finds nothing to move (or, in a window of
 * microseconds, the new holder's fresh lock, which it puts back).
 */
async function breakIfStale(lockPath: string, staleMs: number): Promise<void> {
  const seen = await stat(lockPath).catch(() => null);
  if (!seen) return;
  if (Date.now() - seen.mtimeMs < staleMs && !(await isHolderGone(lockPath))) return;
  const aside = `${lockPath}.stale-${randomUUID()}`;
  try {
    await rename(lockPath, aside);
  } catch {
    return;
  }
  const moved = await stat(aside).catch(() => null);
  if (moved && moved.ino !== seen.ino) await link(aside, lockPath).catch(() => {});
  await rm(aside, { force: true });
}

interface Identity {
  pid: number;
  host: string;
  pidNamespace: string | null;
}

let identity: Promise<Identity> | undefined;
function ownIdentity(): Promise<Identity> {
  identity ??= readlink('/proc/self/ns/pid').then(
    (pidNamespace) => ({ pid: process.pid, host: hostname(), pidNamespace }),
    () => ({ pid: process.pid, host: hostname(), pidNamespace: null }),
  );
  return identity;
}

/** True only when the holder is certainly dead: a process of ours (host, pid namespace) that no longer exists. */
async function isHolderGone(lockPath: string): Promise<boolean> {
  let holder: Partial<Identity>;
  try {
    holder = JSON.parse(await readFile(lockPath, 'utf8'));
  } catch {
    return false; // being written, or gone already
  }
  const self = await ownIdentity();
  if (typeof holder.pid !== 'number' || holder.host !== self.host || !self.pidNamespace || holder.pidNamespace !== self.pidNamespace) {
    return false;
  }
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
