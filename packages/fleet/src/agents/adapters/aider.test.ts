import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { agentRun, makeWorktree, readCalls, standInEnv } from '../../../test/fixtures/agents/index.ts';
import { createInterventionInbox } from '../intervention-inbox.ts';
import { runAgent } from '../run-agent.ts';

describe('the AIDER adapter (against a stand-in aider)', () => {
  it('runs aider scripted, without commits, its history kept out of the worktree', async () => {
    const worktree = await makeWorktree();
    const { options, log } = agentRun(worktree, {
      adapter: 'AIDER',
      config: { model: 'sonnet' },
      prompt: '- rename foo to bar\n- update callers',
    });
    const result = await runAgent(options);
    expect(result).toEqual({ exitCode: 0, ok: true, interventionsDelivered: 0 });
    const [call] = readCalls(worktree);
    expect(call).toEqual([
      'aider',
      '--message-file',
      expect.stringMatching(/parallax-aider-\w+\/message\.md$/),
      ...[
        '--yes-always',
        '--no-auto-commits',
        '--no-dirty-commits',
        '--no-stream',
        '--no-pretty',
        '--no-check-update',
        '--analytics-disable',
      ],
      '--no-gitignore',
      '--chat-history-file',
      expect.stringMatching(/parallax-aider-\w+\/chat\.history\.md$/),
      '--input-history-file',
      expect.stringMatching(/parallax-aider-\w+\/input\.history$/),
      '--model',
      'sonnet',
    ]);
    // The message reached aider whole, dashes and all; the scratch directory is gone.
    expect(readFileSync(join(worktree, 'AIDER.out'), 'utf8')).toBe('task: - rename foo to bar\n- update callers\n');
    expect(existsSync(call![2]!)).toBe(false);
    expect(readdirSync(worktree).sort()).toEqual(['AIDER.out', 'stand-in.calls.jsonl']);
    expect(log.text()).toContain('Applied edit to AIDER.out\n');
  });

  it('removes only the tags cache aider made in this run, not one the worktree already had', async () => {
    const worktree = await makeWorktree();
    mkdirSync(join(worktree, '.aider.tags.cache.v3'));
    const { options } = agentRun(worktree, { adapter: 'AIDER' });
    expect((await runAgent(options)).ok).toBe(true);
    expect(readdirSync(worktree).sort()).toEqual(['.aider.tags.cache.v3', 'AIDER.out', 'stand-in.calls.jsonl']);
  });

  it('reports a failing aider with its exit code and last output', async () => {
    const worktree = await makeWorktree();
    const { options } = agentRun(worktree, { adapter: 'AIDER', env: standInEnv('fail') });
    const result = await runAgent(options);
    expect(result).toMatchObject({ exitCode: 1, ok: false });
    expect(result.failure).toMatch(/^aider exited with code 1\n[\s\S]*litellm.AuthenticationError/);
  });

  it('cannot take an intervention: it stays queued and is reported as not delivered', async () => {
    const worktree = await makeWorktree();
    const interventions = createInterventionInbox();
    interventions.push('also update the docs');
    const { options, log } = agentRun(worktree, { adapter: 'AIDER', interventions });
    expect((await runAgent(options)).interventionsDelivered).toBe(0);
    expect(interventions.size).toBe(1);
    expect(log.text()).toContain('[parallax] 1 intervention(s) not delivered: AIDER cannot take a message\n');
  });
});
