import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { agentRun, makeWorktree, readCalls, standInEnv } from '../../../test/fixtures/agents/index.ts';
import { createInterventionInbox } from '../intervention-inbox.ts';
import { runAgent } from '../run-agent.ts';

const THREAD = /^[0-9a-f-]{36}$/;
const EXEC = ['codex', 'exec', '--json', '--dangerously-bypass-approvals-and-sandbox', '--skip-git-repo-check', '--disable', 'plugins'];

describe('the CODEX adapter (against a stand-in codex)', () => {
  it('runs codex exec with --json, its sandbox bypassed (ours is the boundary) and the model, and reads thread id and last message', async () => {
    const worktree = await makeWorktree();
    const { options, log } = agentRun(worktree, { adapter: 'CODEX', config: { model: 'gpt-5-codex' } });
    const result = await runAgent(options);
    expect(result).toMatchObject({
      exitCode: 0,
      ok: true,
      summary: 'Done: Add a greeting to the README (gpt-5-codex)',
      interventionsDelivered: 0,
    });
    expect(result.agentSessionRef).toMatch(THREAD);
    expect(readCalls(worktree)).toEqual([[...EXEC, '--model', 'gpt-5-codex', '--', 'Add a greeting to the README']]);
    expect(readFileSync(join(worktree, 'CODEX.out'), 'utf8')).toBe('task: Add a greeting to the README\n');
    expect(log.text()).toContain(`[codex] thread ${result.agentSessionRef}\n$ bash -lc ls (exit 0)\nchanged CODEX.out\nDone:`);
  });

  it('passes a prompt that starts with a dash as the prompt, not an option', async () => {
    const worktree = await makeWorktree();
    const { options } = agentRun(worktree, { adapter: 'CODEX', prompt: '- fix the login bug\n- add a test' });
    expect((await runAgent(options)).ok).toBe(true);
    expect(readCalls(worktree)[0]?.at(-1)).toBe('- fix the login bug\n- add a test');
  });

  it('reports a failed turn as not ok, with codex’s message', async () => {
    const worktree = await makeWorktree();
    const { options } = agentRun(worktree, { adapter: 'CODEX', env: standInEnv('fail') });
    const result = await runAgent(options);
    expect(result).toMatchObject({ exitCode: 1, ok: false, failure: 'codex: turn failed: stream disconnected before completion' });
    expect(result.agentSessionRef).toMatch(THREAD);
  });

  it('hands interventions over after the run by resuming the thread, one resume each', async () => {
    const worktree = await makeWorktree();
    const interventions = createInterventionInbox();
    interventions.push('Use the existing logger');
    interventions.push('Keep the diff small');
    const { options, log } = agentRun(worktree, { adapter: 'CODEX', interventions });
    const result = await runAgent(options);
    const threadId = result.agentSessionRef!;
    expect(result).toMatchObject({ ok: true, interventionsDelivered: 2, summary: 'Acknowledged intervention: Keep the diff small' });
    expect(readCalls(worktree).slice(1)).toEqual([
      [...EXEC, 'resume', threadId, '--', 'Use the existing logger'],
      [...EXEC, 'resume', threadId, '--', 'Keep the diff small'],
    ]);
    expect(readFileSync(join(worktree, 'CODEX.out'), 'utf8')).toBe(
      'task: Add a greeting to the README\nintervention: Use the existing logger\nintervention: Keep the diff small\n',
    );
    expect(log.text()).toContain(`[parallax] handing an intervention to codex (resuming ${threadId})\n`);
  });

  it('resumes a failed run with the intervention: the correction may be what it needed', async () => {
    const worktree = await makeWorktree();
    const interventions = createInterventionInbox();
    interventions.push('Retry, the API is back');
    const { options } = agentRun(worktree, { adapter: 'CODEX', env: standInEnv('fail'), interventions });
    expect(await runAgent(options)).toMatchObject({
      ok: true,
      interventionsDelivered: 1,
      summary: 'Acknowledged intervention: Retry, the API is back',
    });
  });

  it('resumes the thread it is given after a worker crash', async () => {
    const worktree = await makeWorktree();
    const resumeRef = '0199a213-81c0-7800-8aa1-bbab2a035a53';
    const { options } = agentRun(worktree, { adapter: 'CODEX', resumeRef });
    expect(await runAgent(options)).toMatchObject({ ok: true, agentSessionRef: resumeRef });
    expect(readCalls(worktree)[0]).toEqual([...EXEC, 'resume', resumeRef, '--', 'Add a greeting to the README']);
  });

  it('points codex at the profile’s own model provider, with its base URL and key variable', async () => {
    const worktree = await makeWorktree();
    const { options } = agentRun(worktree, {
      adapter: 'CODEX',
      config: { model: 'gpt-5-codex', provider: { id: 'gateway', baseUrl: 'https://llm.example.com/v1' } },
    });
    expect((await runAgent(options)).ok).toBe(true);
    expect(readCalls(worktree)[0]).toEqual([
      ...EXEC,
      ...['-c', 'model_provider="gateway"'],
      ...[
        '-c',
        'model_providers.gateway={name="gateway",base_url="https://llm.example.com/v1",env_key="OPENAI_API_KEY",wire_api="responses"}',
      ],
      ...['--model', 'gpt-5-codex', '--', 'Add a greeting to the README'],
    ]);
  });

  it.each([
    [{ id: 'Gateway', baseUrl: 'https://llm.example.com/v1' }, /provider\.id: id is lowercase/],
    [{ id: 'gw', baseUrl: 'file:///etc/passwd' }, /provider\.baseUrl:/],
    [{ id: 'gw', baseUrl: 'https://llm.example.com/v1",wire_api="chat' }, /provider\.baseUrl:/],
    [
      { id: 'gw', baseUrl: 'https://llm.example.com/v1', envKey: 'key; rm -rf /' },
      /provider\.envKey: envKey names an environment variable/,
    ],
  ])('refuses a provider it could not hand to codex safely: %j', async (provider, message) => {
    const worktree = await makeWorktree();
    const { options } = agentRun(worktree, { adapter: 'CODEX', config: { provider } });
    await expect(runAgent(options)).rejects.toThrow(message);
    expect(readCalls(worktree)).toEqual([]);
  });
});
