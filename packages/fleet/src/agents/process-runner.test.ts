import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unsandboxed } from '@parallax/sandbox';
import { describe, expect, it } from 'vitest';
import { isAlive, makeWorktree, memoryLog, waitFor, waitForStandInPids } from '../../test/fixtures/agents/index.ts';
import { AgentNotInstalledError } from './errors.ts';
import { inSandbox, resolveExecutable, startAgentProcess } from './process-runner.ts';

const env = { PATH: process.env.PATH ?? '' };

async function shell(script: string, options: { signal?: AbortSignal; killGraceMs?: number; stdin?: 'pipe' } = {}) {
  const worktree = await makeWorktree();
  const log = memoryLog();
  const spec = {
    executable: '/bin/sh',
    args: ['-c', script],
    cwd: worktree,
    env,
    log: log.sink,
    signal: options.signal ?? new AbortController().signal,
    killGraceMs: options.killGraceMs ?? 500,
    stdin: options.stdin,
  };
  // The runner's own contract (lines, exit codes, stdin, process groups); the sandbox is tested on its own.
  const proc = inSandbox(unsandboxed(), () => startAgentProcess(spec));
  return { proc, log, worktree };
}

describe('startAgentProcess', () => {
  it('refuses to start anything outside a sandbox', async () => {
    const worktree = await makeWorktree();
    const start = () =>
      startAgentProcess({
        executable: '/bin/true',
        args: [],
        cwd: worktree,
        env,
        log: memoryLog().sink,
        signal: new AbortController().signal,
      });
    expect(start).toThrow(/refusing to start an agent process outside a sandbox/);
  });

  it('streams stdout and stderr line by line into the log, a last line without newline included', async () => {
    const { proc, log } = await shell(`echo one; echo two >&2; printf 'three\\r\\nfour'`);
    expect(await proc.exited).toEqual({ exitCode: 0, signal: null, isCancelled: false });
    await log.sink.flush();
    expect(log.text().split('\n').sort()).toEqual(['', 'four', 'one', 'three', 'two']);
  });

  it('runs in the worktree and reports the exit code', async () => {
    const { proc, worktree } = await shell('pwd > where.txt; exit 3');
    expect((await proc.exited).exitCode).toBe(3);
    expect(readFileSync(join(worktree, 'where.txt'), 'utf8').trim()).toBe(worktree);
  });

  it('reports a process killed by a signal as 128 + its number, with the signal', async () => {
    const { proc } = await shell('kill -KILL $$');
    expect(await proc.exited).toEqual({ exitCode: 137, signal: 'SIGKILL', isCancelled: false });
  });

  it('takes stdin when piped, and ends when it is closed', async () => {
    const { proc, log } = await shell('cat', { stdin: 'pipe' });
    expect(await proc.send('hello over stdin\n')).toBe(true);
    proc.endInput();
    expect((await proc.exited).exitCode).toBe(0);
    await log.sink.flush();
    expect(log.text()).toBe('hello over stdin\n');
    expect(await proc.send('too late\n')).toBe(false);
  });

  it('on abort, takes the whole process tree down: the child and its grandchild', async () => {
    const controller = new AbortController();
    const { proc, worktree } = await shell('sleep 1000 & echo "$$ $!" > stand-in.pids; wait', { signal: controller.signal });
    const pids = await waitForStandInPids(worktree);
    expect(pids.every(isAlive)).toBe(true);
    controller.abort();
    const exit = await proc.exited;
    expect(exit.isCancelled).toBe(true);
    expect(exit.signal).toBe('SIGTERM');
    expect(pids.filter(isAlive)).toEqual([]);
  });

  it('sends SIGKILL after the grace period to a tree that ignores SIGTERM', async () => {
    const controller = new AbortController();
    // An ignored signal stays ignored across fork and exec: the sleep ignores it too.
    const { proc, worktree } = await shell(`trap '' TERM; sleep 1000 & echo "$$ $!" > stand-in.pids; wait`, {
      signal: controller.signal,
      killGraceMs: 300,
    });
    const pids = await waitForStandInPids(worktree);
    const abortedAt = Date.now();
    controller.abort();
    const exit = await proc.exited;
    expect(Date.now() - abortedAt).toBeGreaterThanOrEqual(280);
    expect(exit).toMatchObject({ signal: 'SIGKILL', exitCode: 137, isCancelled: true });
    await waitFor(() => pids.every((pid) => !isAlive(pid)), 2_000);
  });

  it('does not leave behind what the agent started in the background when it exits', async () => {
    const { proc, worktree } = await shell('sleep 1000 & echo "$! $!" > stand-in.pids; exit 0');
    const [leftover] = await waitForStandInPids(worktree);
    expect((await proc.exited).exitCode).toBe(0);
    expect(isAlive(leftover!)).toBe(false);
  });
});

describe('resolveExecutable', () => {
  it('finds an executable on the PATH it is given', () => {
    expect(resolveExecutable('sh', env)).toMatch(/\/sh$/);
  });

  it('throws AgentNotInstalledError for a CLI that is not on PATH', () => {
    expect(() => resolveExecutable('claude', { PATH: '/nonexistent:/also/missing' })).toThrow(AgentNotInstalledError);
    expect(() => resolveExecutable('claude', { PATH: '/nonexistent' })).toThrow('claude is not installed: not found on PATH');
  });
});
