import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { agentRun, makeWorktree, readCalls, standInEnv } from '../../../test/fixtures/agents/index.ts';
import { createInterventionInbox } from '../intervention-inbox.ts';
import { runAgent } from '../run-agent.ts';

describe('the OPENCODE adapter (against a stand-in opencode)', () => {
  it('runs opencode run --format json with model and agent, and reads session id and answer', async () => {
    const worktree = await makeWorktree();
    const { options, log } = agentRun(worktree, { adapter: 'OPENCODE', config: { model: 'anthropic/claude-sonnet-4-5', agent: 'build' } });
    const result = await runAgent(options);
    expect(result).toMatchObject({
      exitCode: 0,
      ok: true,
      summary: 'Done: Add a greeting to the README as build',
      interventionsDelivered: 0,
    });
    expect(result.agentSessionRef).toMatch(/^ses_/);
    expect(readCalls(worktree)).toEqual([
      [
        'opencode',
        'run',
        '--format',
        'json',
        '-m',
        'anthropic/claude-sonnet-4-5',
        '--agent',
        'build',
        '--',
        'Add a greeting to the README',
      ],
    ]);
    expect(readFileSync(join(worktree, 'OPENCODE.out'), 'utf8')).toBe('task: Add a greeting to the README\n');
    expect(log.text()).toContain('→ edit OPENCODE.out\nDone: Add a greeting to the README as build\n');
  });

  it('reports an error event as not ok, with opencode’s message', async () => {
    const worktree = await makeWorktree();
    const { options } = agentRun(worktree, { adapter: 'OPENCODE', env: standInEnv('fail') });
    expect(await runAgent(options)).toMatchObject({ exitCode: 1, ok: false, failure: 'opencode: No API key for provider anthropic' });
  });

  it('hands an intervention over after the run with --session', async () => {
    const worktree = await makeWorktree();
    const interventions = createInterventionInbox();
    interventions.push('Prefer a pure function');
    const { options } = agentRun(worktree, { adapter: 'OPENCODE', interventions });
    const result = await runAgent(options);
    const sessionId = result.agentSessionRef!;
    expect(result).toMatchObject({ ok: true, interventionsDelivered: 1, summary: 'Acknowledged intervention: Prefer a pure function' });
    expect(readCalls(worktree)[1]).toEqual(['opencode', 'run', '--format', 'json', '--session', sessionId, '--', 'Prefer a pure function']);
    expect(readFileSync(join(worktree, 'OPENCODE.out'), 'utf8')).toBe(
      'task: Add a greeting to the README\nintervention: Prefer a pure function\n',
    );
  });

  it('stops handing over at the first resume that fails, and says what was not delivered', async () => {
    const worktree = await makeWorktree();
    const interventions = createInterventionInbox();
    interventions.push('first');
    interventions.push('second');
    // A session the stand-in does not know: the run fails, and so does resuming it with 'first'.
    const { options, log } = agentRun(worktree, { adapter: 'OPENCODE', resumeRef: 'unknown-session', interventions });
    const result = await runAgent(options);
    expect(result).toMatchObject({ ok: false, interventionsDelivered: 0, agentSessionRef: 'unknown-session' });
    expect(readCalls(worktree).map((call) => call.at(-1))).toEqual(['Add a greeting to the README', 'first']);
    expect(log.text()).toContain('Session not found: unknown-session');
    expect(log.text()).toContain('[parallax] 1 intervention(s) not delivered: resuming opencode failed\n');
  });

  it('refuses a model that is not provider/model', async () => {
    const worktree = await makeWorktree();
    const { options } = agentRun(worktree, { adapter: 'OPENCODE', config: { model: 'sonnet' } });
    await expect(runAgent(options)).rejects.toThrow('invalid OPENCODE agent config: model: model is provider/model');
  });
});
