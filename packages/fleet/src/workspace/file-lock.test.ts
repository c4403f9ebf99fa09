import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readlink, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LockTimeout, withFileLock } from './file-lock.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'parallax-lock-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('withFileLock', () => {
  it('runs one holder at a time, in the order they asked', async () => {
    const lock = path.join(dir, 'order.lock');
    const events: string[] = [];
    await Promise.all(
      [1, 2, 3].map((n) =>
        withFileLock(lock, async () => {
          events.push(`start ${n}`);
          await sleep(20);
          events.push(`end ${n}`);
        }),
      ),
    );
    expect(events).toEqual(['start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3']);
    expect(existsSync(lock)).toBe(false);
  });

  it('releases the lock when the work throws, and passes the error on', async () => {
    const lock = path.join(dir, 'throws.lock');
    await expect(withFileLock(lock, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(existsSync(lock)).toBe(false);
    await expect(withFileLock(lock, async () => 'next')).resolves.toBe('next');
  });

  it('waits for a live holder in another process and gives up at the timeout', async () => {
    const lock = path.join(dir, 'held.lock');
    await writeFile(lock, '{"pid":1}');
    await expect(withFileLock(lock, async () => 'never', { timeoutMs: 200 })).rejects.toBeInstanceOf(LockTimeout);
    expect(existsSync(lock)).toBe(true);
  });

  it('takes over a lock nobody has touched for longer than the stale time', async () => {
    const lock = path.join(dir, 'stale.lock');
    await writeFile(lock, '{"pid":1}');
    const old = new Date(Date.now() - 10_000);
    await utimes(lock, old, old);
    await expect(withFileLock(lock, async () => 'taken', { staleMs: 5_000, timeoutMs: 2_000 })).resolves.toBe('taken');
  });

  it.runIf(process.platform === 'linux')('takes over at once a fresh lock whose holder on this host has exited', async () => {
    const lock = path.join(dir, 'dead.lock');
    const { pid } = spawnSync('true');
    const pidNamespace = await readlink('/proc/self/ns/pid');
    await writeFile(lock, JSON.stringify({ pid, host: os.hostname(), pidNamespace }));
    await expect(withFileLock(lock, async () => 'taken', { timeoutMs: 1_000 })).resolves.toBe('taken');
  });

  it('keeps a long-held lock fresh so that waiters do not take it over', async () => {
    const lock = path.join(dir, 'fresh.lock');
    const events: string[] = [];
    const options = { staleMs: 150, refreshMs: 30 };
    const first = withFileLock(
      lock,
      async () => {
        events.push('first in');
        await sleep(400);
        events.push('first out');
      },
      options,
    );
    await sleep(20);
    // A second "process": bypass the in-process queue by using another path spelling.
    const second = withFileLock(`${dir}/./fresh.lock`, async () => events.push('second in'), options);
    await Promise.all([first, second]);
    expect(events).toEqual(['first in', 'first out', 'second in']);
  });
});
