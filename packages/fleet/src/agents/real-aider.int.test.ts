// The AIDER adapter against the real aider (aider-chat from PyPI, pinned in .ci/run),
// pointed through litellm at a local server that speaks the OpenAI Chat Completions API.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { agentRun } from '../../test/fixtures/agents/index.ts';
import { startChatCompletionsServer } from '../../test/fixtures/agents/model-servers/chat-completions-server.ts';
import { textOf } from '../../test/fixtures/agents/model-servers/sse-server.ts';
import { makeGitWorktree, realCliEnv, runCli } from '../../test/fixtures/agents/real-clis.ts';
import { buildAiderArgs } from './adapters/aider.ts';
import { runAgent } from './run-agent.ts';

// aider is a Python CLI: pip puts it on PATH, not in node_modules.
const AIDER_VERSION = 'aider 0.86.2';

async function aiderSession(reply: string) {
  const { worktree, home } = await makeGitWorktree();
  const server = await startChatCompletionsServer(() => reply);
  onTestFinished(() => server.close());
  const env = realCliEnv(home, {
    OPENAI_API_BASE: `${server.url}/v1`,
    OPENAI_API_KEY: 'sk-local-test',
    // litellm would fetch its model price list from the internet at import.
    LITELLM_LOCAL_MODEL_COST_MAP: 'True',
  });
  return { worktree, home, server, env };
}

describe('the AIDER adapter against the real aider', () => {
  it('is the pinned aider on PATH', () => {
    expect(execFileSync('aider', ['--version'], { env: realCliEnv(process.env.HOME ?? '/') }).toString()).toContain(AIDER_VERSION);
  });

  it('takes the adapter’s arguments, applies the edit the model sends and commits nothing', { timeout: 120_000 }, async () => {
    const { worktree, server, env } = await aiderSession('GREETING.md\n```\nHello from aider\n```\n');
    const { options, log } = agentRun(worktree, {
      adapter: 'AIDER',
      config: { model: 'openai/gpt-local' },
      prompt: '- create GREETING.md',
      env,
    });

    const result = await runAgent(options);

    expect(result, log.text()).toMatchObject({ exitCode: 0, ok: true });
    expect(readFileSync(join(worktree, 'GREETING.md'), 'utf8')).toBe('Hello from aider\n');
    expect(server.turns().length).toBeGreaterThanOrEqual(1);
    expect(server.turns()[0]!.model).toBe('gpt-local');
    expect(textOf(server.turns()[0]!.messages)).toContain('- create GREETING.md');
    // No commit (Parallax makes it), no .aider* files or .gitignore change in the worktree.
    expect(execFileSync('git', ['log', '--format=%s'], { cwd: worktree }).toString().trim()).toBe('initial');
    expect(readdirSync(worktree).filter((name) => name.startsWith('.aider') || name === '.gitignore')).toEqual([]);
    expect(existsSync(join(worktree, '.git'))).toBe(true);
  });

  it('refuses an argument it does not know, so the run above proves something', async () => {
    const { worktree, env } = await aiderSession('unused');
    const args = buildAiderArgs({ model: 'openai/gpt-local' }, join(worktree, 'message.md'), worktree);
    const run = await runCli('aider', [...args, '--full-auto'], { cwd: worktree, env });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('aider: error: unrecognized arguments: --full-auto');
  });
});
