import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { agentRun, isAlive, makeWorktree, readCalls, standInEnv, waitForStandInPids } from '../../../test/fixtures/agents/index.ts';
import { AgentNotInstalledError } from '../errors.ts';
import { createInterventionInbox } from '../intervention-inbox.ts';
import { runAgent } from '../run-agent.ts';
import type { AgentHeartbeat } from '../types.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('the CLAUDE_CODE adapter (against a stand-in claude)', () => {
  it('runs claude headless with stream-json both ways and the profile flags, the task on stdin', async () => {
    const worktree = await makeWorktree();
    const { options } = agentRun(worktree, {
      adapter: 'CLAUDE_CODE',
      config: { maxTurns: 30, allowedTools: ['Edit', 'Bash(npm test)'], model: 'claude-sonnet-4-5', someFutureSetting: true },
    });
    const result = await runAgent(options);
    expect(result).toMatchObject({
      exitCode: 0,
      ok: true,
      summary: 'Done: Add a greeting to the README',
      interventionsDelivered: 0,
      costUsd: 0.0123,
    });
    expect(result.agentSessionRef).toMatch(UUID);
    expect(readCalls(worktree)).toEqual([
      [
        'claude',
        ...['-p', '--output-format', 'stream-json', '--verbose', '--input-format', 'stream-json', '--replay-user-messages'],
        ...['--permission-mode', 'acceptEdits'],
        ...['--max-turns', '30', '--allowedTools', 'Edit,Bash(npm test)', '--model', 'claude-sonnet-4-5'],
      ],
    ]);
    expect(readFileSync(join(worktree, 'CLAUDE.out'), 'utf8')).toBe('task: Add a greeting to the README\n');
  });

  it('logs the conversation readably, not as raw JSON', async () => {
    const worktree = await makeWorktree();
    const { options, log } = agentRun(worktree, { adapter: 'CLAUDE_CODE', config: { permissionMode: 'bypassPermissions' } });
    const { agentSessionRef } = await runAgent(options);
    expect(log.text()).toContain(`[claude] session ${agentSessionRef} on claude-stand-in\n`);
    expect(log.text()).toContain('Working on: Add a greeting to the README\n');
    expect(log.text()).toContain(`→ Edit ${worktree}/CLAUDE.out\n`);
    expect(log.text()).toContain('[claude] success after 1 turns, 1 s, $0.01\n');
    expect(log.text()).not.toContain('{"type"');
    expect(readCalls(worktree)[0]).toContain('bypassPermissions');
  });

  it('resumes the CLI session it is given after a worker crash', async () => {
    const worktree = await makeWorktree();
    const resumeRef = '0b6f8a52-9d0e-4c1a-8f7e-2b9c4d5e6f70';
    const beats: AgentHeartbeat[] = [];
    const { options } = agentRun(worktree, { adapter: 'CLAUDE_CODE', resumeRef, heartbeat: (d) => beats.push(d) });
    const result = await runAgent(options);
    expect(result).toMatchObject({ ok: true, agentSessionRef: resumeRef });
    expect(readCalls(worktree)[0]?.slice(-2)).toEqual(['--resume', resumeRef]);
    expect(beats[0]).toEqual({ agentSessionRef: resumeRef });
  });

  it('reports a failing agent as not ok, with the result subtype as the failure', async () => {
    const worktree = await makeWorktree();
    const { options } = agentRun(worktree, { adapter: 'CLAUDE_CODE', env: standInEnv('fail') });
    const result = await runAgent(options);
    expect(result).toMatchObject({ exitCode: 1, ok: false, failure: 'claude: error_max_turns' });
    expect(result.agentSessionRef).toMatch(UUID);
  });

  it('hands an intervention to claude on stdin while it works, and counts it', async () => {
    const worktree = await makeWorktree();
    const interventions = createInterventionInbox();
    const { options, log } = agentRun(worktree, {
      adapter: 'CLAUDE_CODE',
      env: standInEnv('await-intervention'),
      interventions,
      // The first heartbeat with a session id means claude is up and in its first turn.
      heartbeat: (details) => {
        if (details.agentSessionRef) interventions.push('Use the existing logger, not console.log');
      },
    });
    const result = await runAgent(options);
    expect(result).toMatchObject({
      ok: true,
      interventionsDelivered: 1,
      summary: 'Applied intervention: Use the existing logger, not console.log',
    });
    expect(readFileSync(join(worktree, 'CLAUDE.out'), 'utf8')).toBe(
      'task: Add a greeting to the README\nintervention: Use the existing logger, not console.log\n',
    );
    expect(log.text()).toContain('[parallax] intervention handed to claude\n');
    expect(log.text()).toContain('Acknowledged intervention: Use the existing logger, not console.log\n');
  });

  it('ends the session at the result when claude folds an intervention into its turn, not after the settle time', async () => {
    const worktree = await makeWorktree();
    const interventions = createInterventionInbox();
    const { options, log } = agentRun(worktree, {
      adapter: 'CLAUDE_CODE', // the default turnSettleMs: 120 s
      env: standInEnv('fold-intervention'),
      interventions,
      heartbeat: (details) => {
        if (details.agentSessionRef) interventions.push('Mind the tests');
      },
    });
    const startedAt = Date.now();
    const result = await runAgent(options);
    expect(result).toMatchObject({ ok: true, interventionsDelivered: 1, summary: 'Done, with the intervention: Mind the tests' });
    expect(Date.now() - startedAt).toBeLessThan(5_000);
    expect(log.text()).toContain('[claude] took in the intervention\n');
    expect(readFileSync(join(worktree, 'CLAUDE.out'), 'utf8')).toBe('task: Add a greeting to the README\nintervention: Mind the tests\n');
  });

  it('still ends, after the settle time, a session whose claude folds an intervention without echoing it', async () => {
    const worktree = await makeWorktree();
    const interventions = createInterventionInbox();
    const { options } = agentRun(worktree, {
      adapter: 'CLAUDE_CODE',
      config: { turnSettleMs: 300 },
      env: standInEnv('fold-intervention-unechoed'),
      interventions,
      heartbeat: (details) => {
        if (details.agentSessionRef) interventions.push('Mind the tests');
      },
    });
    const startedAt = Date.now();
    const result = await runAgent(options);
    expect(result).toMatchObject({ ok: true, interventionsDelivered: 1, summary: 'Done, with the intervention: Mind the tests' });
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(300);
    expect(Date.now() - startedAt).toBeLessThan(5_000);
  });

  it('reports the session id in a heartbeat as soon as claude names it', async () => {
    const worktree = await makeWorktree();
    const beats: AgentHeartbeat[] = [];
    const { options } = agentRun(worktree, { adapter: 'CLAUDE_CODE', heartbeat: (d) => beats.push(d), heartbeatEveryMs: 60_000 });
    const { agentSessionRef } = await runAgent(options);
    expect(beats).toEqual([{}, { agentSessionRef }]);
  });

  it('throws AgentNotInstalledError without spawning anything when claude is not on PATH', async () => {
    const worktree = await makeWorktree();
    const { options } = agentRun(worktree, { adapter: 'CLAUDE_CODE', env: { PATH: '/nonexistent' } });
    const running = runAgent(options);
    await expect(running).rejects.toBeInstanceOf(AgentNotInstalledError);
    await expect(running).rejects.toThrow('claude is not installed: not found on PATH');
    expect(existsSync(join(worktree, 'stand-in.calls.jsonl'))).toBe(false);
  });

  it('on cancel, takes claude and what it started down, even when claude ignores SIGTERM', async () => {
    const worktree = await makeWorktree();
    const { options, controller } = agentRun(worktree, { adapter: 'CLAUDE_CODE', env: standInEnv('hang-ignoring-term'), killGraceMs: 300 });
    const running = runAgent(options);
    const pids = await waitForStandInPids(worktree);
    controller.abort(new Error('cancelled by a human'));
    await expect(running).rejects.toThrow('cancelled by a human');
    expect(pids.filter(isAlive)).toEqual([]);
  });

  it('refuses an unknown permission mode in the profile', async () => {
    const worktree = await makeWorktree();
    const { options } = agentRun(worktree, { adapter: 'CLAUDE_CODE', config: { permissionMode: 'yolo' } });
    await expect(runAgent(options)).rejects.toThrow(/invalid CLAUDE_CODE agent config: permissionMode:/);
  });
});
