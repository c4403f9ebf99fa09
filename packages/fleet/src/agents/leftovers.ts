// An agent runs in its own process group so that a cancel can stop its whole tree; the
// price is that a worker killed with SIGKILL leaves that group running, still writing
// to the worktree. Every process of a session (agent, checks, their children) carries
// PARALLAX_SESSION_ID in its environment, so the next attempt on this host, and the
// cleanup, find and stop what an earlier attempt left behind.
import { readdir, readFile } from 'node:fs/promises';

/** Stops (SIGKILL) every process on this host whose environment names the session; returns their pids. Linux only (/proc); elsewhere a no-op. */
export async function stopSessionLeftovers(sessionId: string): Promise<number[]> {
  const marker = `PARALLAX_SESSION_ID=${sessionId}`;
  const entries = await readdir('/proc').catch(() => [] as string[]);
  const stopped: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    // Other users' processes and ones that just exited cannot be read: not ours either way.
    const environ = await readFile(`/proc/${pid}/environ`, 'utf8').catch(() => '');
    if (!environ.split('\0').includes(marker)) continue;
    try {
      process.kill(pid, 'SIGKILL');
      stopped.push(pid);
    } catch {
      // exited meanwhile
    }
  }
  return stopped;
}
