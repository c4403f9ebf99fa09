import { existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { agentRun, isAlive, makeWorktree, waitFor, waitForStandInPids } from '../../../test/fixtures/agents/index.ts';
import { AgentConfigInvalidError } from '../errors.ts';
import { createInterventionInbox } from '../intervention-inbox.ts';
import { runAgent } from '../run-agent.ts';

const read = (worktree: string, path: string) => readFileSync(join(worktree, path), 'utf8');

describe('the SCRIPT adapter', () => {
  it('writes, appends, deletes and runs commands in the worktree, streaming their output', async () => {
    const worktree = await makeWorktree();
    writeFileSync(join(worktree, 'obsolete.txt'), 'old');
    const { options, log } = agentRun(worktree, {
      adapter: 'SCRIPT',
      config: {
        summary: 'Greeting added',
        steps: [
          { write: { path: 'src/greeting.ts', content: 'export const greeting = "hi";\n' } },
          { append: { path: 'src/greeting.ts', content: 'export const farewell = "bye";\n' } },
          { delete: { path: 'obsolete.txt' } },
          { run: 'wc -l < src/greeting.ts' },
          { run: { command: 'echo "to stderr" >&2; exit 2', allowFailure: true } },
          { sleep: { ms: 5 } },
        ],
      },
    });
    const result = await runAgent(options);
    expect(result).toEqual({ exitCode: 0, ok: true, summary: 'Greeting added', interventionsDelivered: 0 });
    expect(read(worktree, 'src/greeting.ts')).toBe('export const greeting = "hi";\nexport const farewell = "bye";\n');
    expect(existsSync(join(worktree, 'obsolete.txt'))).toBe(false);
    expect(log.text()).toContain('[script] $ wc -l < src/greeting.ts\n2\n');
    expect(log.text()).toContain('to stderr\n');
  });

  it('fails on a command that exits non-zero, with its exit code and output', async () => {
    const worktree = await makeWorktree();
    const { options } = agentRun(worktree, {
      adapter: 'SCRIPT',
      config: { steps: [{ run: 'echo "3 tests failed"; exit 3' }, { write: { path: 'never.txt', content: '' } }] },
    });
    const result = await runAgent(options);
    expect(result).toMatchObject({ exitCode: 3, ok: false });
    expect(result.failure).toMatch(/^step 1: `echo "3 tests failed"; exit 3` exited with code 3\n[\s\S]*3 tests failed/);
    expect(existsSync(join(worktree, 'never.txt'))).toBe(false);
  });

  it('stops at a fail step with its code and message', async () => {
    const worktree = await makeWorktree();
    const { options } = agentRun(worktree, { adapter: 'SCRIPT', config: { steps: [{ fail: { code: 7, message: 'the model gave up' } }] } });
    expect(await runAgent(options)).toEqual({ exitCode: 7, ok: false, failure: 'the model gave up', interventionsDelivered: 0 });
  });

  it('takes the recipe from a prompt that is one, over the profile', async () => {
    const worktree = await makeWorktree();
    const { options } = agentRun(worktree, {
      adapter: 'SCRIPT',
      config: { steps: [{ write: { path: 'from-profile.txt', content: 'profile' } }] },
      prompt: JSON.stringify({ steps: [{ write: { path: 'from-task.txt', content: 'task' } }] }),
    });
    expect((await runAgent(options)).ok).toBe(true);
    expect(read(worktree, 'from-task.txt')).toBe('task');
    expect(existsSync(join(worktree, 'from-profile.txt'))).toBe(false);
  });

  it('refuses a recipe whose paths leave the worktree, before running any step', async () => {
    const worktree = await makeWorktree();
    for (const path of ['../escape.txt', '/tmp/escape.txt', 'src/../../escape.txt', '.git/config', '.']) {
      const { options } = agentRun(worktree, {
        adapter: 'SCRIPT',
        config: { steps: [{ write: { path: 'first.txt', content: '' } }, { write: { path, content: 'x' } }] },
      });
      await expect(runAgent(options)).rejects.toThrow(AgentConfigInvalidError);
    }
    expect(existsSync(join(worktree, 'first.txt'))).toBe(false);
  });

  it('refuses to write through a symlink that leads out of the worktree', async () => {
    const worktree = await makeWorktree();
    const outside = await makeWorktree();
    symlinkSync(outside, join(worktree, 'link'));
    const { options } = agentRun(worktree, { adapter: 'SCRIPT', config: { steps: [{ write: { path: 'link/owned.txt', content: 'x' } }] } });
    const result = await runAgent(options);
    expect(result).toMatchObject({ ok: false, exitCode: 1, failure: 'step 1: link/owned.txt leads outside the worktree' });
    expect(existsSync(join(outside, 'owned.txt'))).toBe(false);
  });

  it('refuses a malformed recipe with the reason', async () => {
    const worktree = await makeWorktree();
    const cases: Array<[unknown, string | RegExp, string?]> = [
      [{ steps: [{ wirte: { path: 'a', content: '' } }] }, /steps\.0: Unrecognized key: "wirte"/],
      [{ steps: [{ write: { path: 'a', content: '' }, run: 'ls' }] }, /a step is exactly one of/],
      [{}, 'no recipe: the profile has no steps and the prompt is not a JSON recipe'],
      [{}, /the prompt looks like a recipe but is not JSON/, '{ steps: ['],
    ];
    for (const [config, message, prompt] of cases) {
      const { options } = agentRun(worktree, { adapter: 'SCRIPT', config, ...(prompt ? { prompt } : {}) });
      await expect(runAgent(options)).rejects.toThrow(message);
    }
  });

  it('blocks at waitForIntervention until a message arrives, then appends it to a file', async () => {
    const worktree = await makeWorktree();
    const interventions = createInterventionInbox();
    const { options } = agentRun(worktree, {
      adapter: 'SCRIPT',
      interventions,
      config: { steps: [{ waitForIntervention: { appendTo: 'notes.md' } }, { waitForIntervention: true }] },
    });
    const running = runAgent(options);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(existsSync(join(worktree, 'notes.md'))).toBe(false);
    interventions.push('Use the existing logger, not console.log');
    interventions.push('And keep it short');
    const result = await running;
    expect(result).toMatchObject({ ok: true, interventionsDelivered: 2 });
    expect(read(worktree, 'notes.md')).toBe('Use the existing logger, not console.log\n');
    expect(read(worktree, 'INTERVENTIONS.md')).toBe('And keep it short\n');
  });

  it('fails a waitForIntervention that times out', async () => {
    const worktree = await makeWorktree();
    const { options } = agentRun(worktree, { adapter: 'SCRIPT', config: { steps: [{ waitForIntervention: { timeoutMs: 30 } }] } });
    expect(await runAgent(options)).toMatchObject({ ok: false, failure: 'step 1: no intervention arrived within 30 ms' });
  });

  it('on cancel during a run step, takes its whole process tree down and rejects with the reason', async () => {
    const worktree = await makeWorktree();
    const { options, controller } = agentRun(worktree, {
      adapter: 'SCRIPT',
      config: { steps: [{ run: 'sleep 1000 & echo "$$ $!" > stand-in.pids; wait' }, { write: { path: 'after.txt', content: '' } }] },
    });
    const running = runAgent(options);
    const pids = await waitForStandInPids(worktree);
    controller.abort(new Error('cancelled by a human'));
    await expect(running).rejects.toThrow('cancelled by a human');
    expect(pids.filter(isAlive)).toEqual([]);
    expect(existsSync(join(worktree, 'after.txt'))).toBe(false);
  });

  it('on cancel during a sleep, stops at once', async () => {
    const worktree = await makeWorktree();
    const { options, controller } = agentRun(worktree, { adapter: 'SCRIPT', config: { steps: [{ sleep: { ms: 60_000 } }] } });
    const running = runAgent(options);
    setTimeout(() => controller.abort(new Error('stop')), 30);
    await expect(running).rejects.toThrow('stop');
  });

  it('heartbeats while the recipe runs', async () => {
    const worktree = await makeWorktree();
    const beats: unknown[] = [];
    const { options } = agentRun(worktree, {
      adapter: 'SCRIPT',
      config: { steps: [{ sleep: { ms: 200 } }] },
      heartbeat: (details) => beats.push(details),
      heartbeatEveryMs: 20,
    });
    await runAgent(options);
    await waitFor(() => beats.length >= 4);
    expect(beats[0]).toEqual({});
  });
});
