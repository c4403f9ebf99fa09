import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { agentRun, isAlive, makeWorktree, standInEnv, waitFor, waitForStandInPids } from '../../test/fixtures/agents/index.ts';
import { buildAgentEnv } from './agent-env.ts';
import { AgentConfigInvalidError, AgentNotInstalledError } from './errors.ts';
import { runAgent, validateAgentProfile } from './run-agent.ts';

const CLI_ADAPTERS = [
  ['CLAUDE_CODE', 'claude'],
  ['CODEX', 'codex'],
  ['AIDER', 'aider'],
  ['OPENCODE', 'opencode'],
] as const;

describe('runAgent', () => {
  it.each(CLI_ADAPTERS)('reports %s as not installed when %s is not on PATH, spawning nothing', async (adapter, cli) => {
    const worktree = await makeWorktree();
    const { options } = agentRun(worktree, { adapter, env: { PATH: '/nonexistent' } });
    const error = await runAgent(options).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(AgentNotInstalledError);
    expect(error).toMatchObject({ code: 'INVALID', executable: cli, message: `${cli} is not installed: not found on PATH` });
    expect(existsSync(join(worktree, 'stand-in.calls.jsonl'))).toBe(false);
  });

  it.each(CLI_ADAPTERS)('on cancel, stops %s and the grandchild it started: nothing of the tree survives', async (adapter) => {
    const worktree = await makeWorktree();
    const { options, controller, log } = agentRun(worktree, { adapter, env: standInEnv('hang') });
    const running = runAgent(options);
    const pids = await waitForStandInPids(worktree);
    expect(pids.every(isAlive)).toBe(true);
    controller.abort(new Error('cancelled by a human'));
    await expect(running).rejects.toThrow('cancelled by a human');
    expect(pids.filter(isAlive)).toEqual([]);
    expect(log.text()).toContain('[parallax] the agent was cancelled; its process tree is stopped\n');
  });

  it('spawns nothing for a run cancelled before it started', async () => {
    const worktree = await makeWorktree();
    const { options, controller } = agentRun(worktree, { adapter: 'CLAUDE_CODE' });
    controller.abort(new Error('cancelled while queued'));
    await expect(runAgent(options)).rejects.toThrow('cancelled while queued');
    expect(existsSync(join(worktree, 'stand-in.calls.jsonl'))).toBe(false);
  });

  it('heartbeats every heartbeatEveryMs while the agent runs, and stops after', async () => {
    const worktree = await makeWorktree();
    let beats = 0;
    const { options, controller } = agentRun(worktree, {
      adapter: 'CODEX',
      env: standInEnv('hang'),
      heartbeatEveryMs: 20,
      heartbeat: () => {
        beats++;
      },
    });
    const running = runAgent(options).catch(() => {});
    await waitFor(() => beats >= 5);
    controller.abort();
    await running;
    const after = beats;
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(beats).toBe(after);
  });

  it('gives the agent the session environment but none of the worker’s own secrets', async () => {
    const worktree = await makeWorktree();
    const { options } = agentRun(worktree, {
      adapter: 'COMMAND',
      commandTemplate: 'env > env.txt',
      env: { ...standInEnv(), DATABASE_URL: 'postgresql://session-schema', PORT: '4100' },
    });
    process.env.NEXTAUTH_SECRET = 'worker-secret';
    try {
      await runAgent(options);
    } finally {
      delete process.env.NEXTAUTH_SECRET;
    }
    const seen = readFileSync(join(worktree, 'env.txt'), 'utf8');
    expect(seen).toContain('DATABASE_URL=postgresql://session-schema\n');
    expect(seen).toContain('PORT=4100\n');
    expect(seen).not.toContain('worker-secret');
  });

  it('flushes the log before it returns', async () => {
    const worktree = await makeWorktree();
    const { options, log } = agentRun(worktree, { adapter: 'SCRIPT', config: { steps: [{ run: 'echo from the recipe' }] } });
    await runAgent(options);
    expect(log.text()).toContain('from the recipe\n[parallax] agent succeeded (exit 0)\n');
  });
});

describe('buildAgentEnv', () => {
  it('keeps only PATH and the locale of the worker’s environment, then adds the session’s', () => {
    const env = buildAgentEnv(
      {
        PATH: '/usr/bin',
        LANG: 'C.UTF-8',
        HOME: '/home/worker',
        ANTHROPIC_API_KEY: 'sk-ant',
        GITHUB_WEBHOOK_SECRET: 'whsec',
        AWS_SECRET_ACCESS_KEY: 'aws',
        DATABASE_URL: 'postgresql://parallax',
        PGPASSWORD: 'pw',
        TEMPORAL_ADDRESS: 'temporal:7233',
        NEXTAUTH_SECRET: 's',
        GITHUB_TOKEN: 'ghp',
        PARALLAX_DB_PORT: '5432',
      },
      { DATABASE_URL: 'postgresql://session', PORT: '4100' },
    );
    expect(env).toEqual({
      PATH: '/usr/bin',
      LANG: 'C.UTF-8',
      DATABASE_URL: 'postgresql://session',
      PORT: '4100',
    });
  });
});

describe('validateAgentProfile', () => {
  it('accepts the configs the adapters run with', () => {
    expect(() => validateAgentProfile({ adapter: 'CLAUDE_CODE', config: { permissionMode: 'plan', maxTurns: 20 } })).not.toThrow();
    expect(() => validateAgentProfile({ adapter: 'COMMAND', config: {}, commandTemplate: 'my-agent --task {prompt}' })).not.toThrow();
    expect(() => validateAgentProfile({ adapter: 'SCRIPT', config: { steps: [{ run: 'npm test' }] } })).not.toThrow();
    expect(() => validateAgentProfile({ adapter: 'AIDER', config: null })).not.toThrow();
  });

  it('refuses a bad one with an INVALID AgentConfigInvalidError naming the field', () => {
    const attempt = () => validateAgentProfile({ adapter: 'CLAUDE_CODE', config: { maxTurns: -1 } });
    expect(attempt).toThrow(AgentConfigInvalidError);
    expect(attempt).toThrow(/^invalid CLAUDE_CODE agent config: maxTurns: /);
  });
});
