// Finding and stopping everything a command started. In the sandbox that is its PID
// namespace: whatever it did (setsid, double fork, nohup) it cannot leave it, and the
// namespace ends when its first process does. Unsandboxed, the best there is is the
// process group, which `setsid` escapes.
import { closeSync, fstatSync, openSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';

function pids(): string[] {
  try {
    return readdirSync('/proc').filter((entry) => entry.charCodeAt(0) <= 57);
  } catch {
    return [];
  }
}

/** State and process group of a pid, read after the last ')' because comm may hold spaces and parentheses. */
function stat(pid: string): { state: string; pgrp: number } | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const [state = '', , group] = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state, pgrp: Number(group) };
  } catch {
    return null;
  }
}

/**
 * A sandbox's PID namespace, held open. The kernel hands a namespace's id to the next one made
 * once it ends (the lowest free id), so an id alone would, a moment after its command exits,
 * name another session's sandbox: stopping or waiting on it would kill or wait on that one.
 * Holding the namespace's file keeps its id ours until `release()`.
 */
export interface HeldNamespace {
  /** Host pids of its live (not zombie) processes; none once released. */
  members(): number[];
  release(): void;
}

/**
 * Holds the namespace `inode` of which `pid` (bwrap's first process inside) is a member. Null when
 * that process is gone: its death ended the namespace and everything in it, and the pid may now be
 * another process's, which the id check tells apart. Null too when the file cannot be opened
 * (no file descriptors left): stop() then kills bwrap, and the namespace dies with it.
 */
export function holdNamespace(pid: number, inode: number): HeldNamespace | null {
  let fd: number | null;
  try {
    fd = openSync(`/proc/${pid}/ns/pid`, 'r');
  } catch {
    return null;
  }
  let same = false;
  try {
    same = fstatSync(fd, { bigint: true }).ino === BigInt(inode);
  } finally {
    if (!same) closeSync(fd);
  }
  if (!same) return null;
  const wanted = `pid:[${inode}]`;
  return {
    members: () => (fd === null ? [] : processesIn(wanted)),
    release() {
      if (fd !== null) closeSync(fd);
      fd = null;
    },
  };
}

function processesIn(wanted: string): number[] {
  const found: number[] = [];
  for (const pid of pids()) {
    try {
      if (readlinkSync(`/proc/${pid}/ns/pid`) !== wanted) continue;
    } catch {
      continue;
    }
    const s = stat(pid);
    if (s && s.state !== 'Z') found.push(Number(pid));
  }
  return found;
}

/**
 * SIGTERM to every process in the namespace, SIGKILL after the grace period; releases it once it
 * is empty. Released after a timeout too: the SIGKILL stays pending for what is stuck, there is
 * nothing left to send, and what still runs keeps the id from being reused.
 */
export async function stopNamespace(ns: HeldNamespace, graceMs: number, killLeader: () => void): Promise<void> {
  try {
    signalAll(ns.members(), 'SIGTERM');
    const deadline = Date.now() + graceMs;
    while (Date.now() < deadline && ns.members().length > 0) await delay(25);
    // The leader's death takes the namespace down; what is left is killed outright.
    killLeader();
    signalAll(ns.members(), 'SIGKILL');
    await waitUntilEmpty(() => ns.members().length === 0, 10_000);
  } finally {
    ns.release();
  }
}

/** After the command exited: the kernel ends the namespace with its first process; wait until it has, then release it. */
export async function waitForNamespaceGone(ns: HeldNamespace): Promise<void> {
  try {
    await waitUntilEmpty(() => ns.members().length === 0, 10_000);
  } finally {
    ns.release();
  }
}

/**
 * Whether any process of the group still runs. Killed grandchildren are reparented to
 * PID 1 and, in a container whose init does not reap, stay zombies in the group for
 * long: kill(-pgid, 0) alone would hold every cancel for the whole grace period.
 */
export function hasLiveGroupMembers(pgid: number): boolean {
  if (!signalGroup(pgid, 0)) return false;
  const all = pids();
  if (all.length === 0) return true; // no procfs: trust the signal
  return all.some((pid) => {
    const s = stat(pid);
    return s !== null && s.pgrp === pgid && s.state !== 'Z';
  });
}

/** SIGTERM to the whole group, SIGKILL to what is left after the grace period. */
export async function stopGroup(pgid: number, graceMs: number): Promise<void> {
  if (!signalGroup(pgid, 'SIGTERM')) return;
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    await delay(25);
    if (!hasLiveGroupMembers(pgid)) return;
  }
  signalGroup(pgid, 'SIGKILL');
}

function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

function signalAll(targets: number[], signal: NodeJS.Signals): void {
  for (const pid of targets) {
    try {
      process.kill(pid, signal);
    } catch {}
  }
}

async function waitUntilEmpty(isEmpty: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!isEmpty()) {
    if (Date.now() > deadline) throw new Error('processes of the sandbox are still running after SIGKILL');
    await delay(20);
  }
}
