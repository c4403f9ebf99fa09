// Finding and stopping everything a command started. In the sandbox that is its PID
// namespace: whatever it did (setsid, double fork, nohup) it cannot leave it, and the
// namespace ends when its first process does. Unsandboxed, the best there is is the
// process group, which `setsid` escapes.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
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

/** Host pids of the live (not zombie) processes in the PID namespace `nsInode`. */
export function namespaceMembers(nsInode: number): number[] {
  const wanted = `pid:[${nsInode}]`;
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

export async function stopNamespace(nsInode: number, graceMs: number, killLeader: () => void): Promise<void> {
  signalAll(namespaceMembers(nsInode), 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && namespaceMembers(nsInode).length > 0) await delay(25);
  // The leader's death takes the namespace down; what is left is killed outright.
  killLeader();
  signalAll(namespaceMembers(nsInode), 'SIGKILL');
  await waitUntilEmpty(() => namespaceMembers(nsInode).length === 0, 10_000);
}

/** After the command exited: the kernel ends the namespace with its first process; wait until it has. */
export async function waitForNamespaceGone(nsInode: number): Promise<void> {
  await waitUntilEmpty(() => namespaceMembers(nsInode).length === 0, 10_000);
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
