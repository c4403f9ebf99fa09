import { spawn } from 'node:child_process';
import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { stopSessionLeftovers } from './leftovers.ts';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('stopSessionLeftovers', () => {
  it("stops a detached process tree of the session and leaves another session's alone", async () => {
    const start = (sessionId: string) => {
      const child = spawn('/bin/sh', ['-c', 'sleep 300 & wait'], {
        env: { ...process.env, PARALLAX_SESSION_ID: sessionId },
        detached: true,
        stdio: 'ignore',
      });
      child.unref();
      return child.pid!;
    };
    const mine = start('session-a');
    const theirs = start('session-b');
    await delay(200); // let sh fork its sleep
    try {
      const stopped = await stopSessionLeftovers('session-a');
      expect(stopped).toContain(mine);
      expect(stopped.length).toBeGreaterThanOrEqual(2); // sh and its sleep
      await delay(100);
      expect(alive(mine)).toBe(false);
      expect(alive(theirs)).toBe(true);
      expect(await stopSessionLeftovers('session-a')).toEqual([]);
    } finally {
      await stopSessionLeftovers('session-b');
    }
  });
});
