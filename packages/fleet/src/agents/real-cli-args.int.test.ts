// The exact arguments each CLI adapter builds, handed to the real CLI at its pinned
// version: accepted as a whole, while one argument the CLI does not know is refused (so
// these tests would catch the next `--full-auto`). Where a model call cannot be avoided,
// a local model server answers it.
import { describe, expect, it, onTestFinished } from 'vitest';
import { agentRun } from '../../test/fixtures/agents/index.ts';
import { lastUserMessage, startAnthropicServer } from '../../test/fixtures/agents/model-servers/anthropic-server.ts';
import { startResponsesServer } from '../../test/fixtures/agents/model-servers/responses-server.ts';
import { makeGitWorktree, realCli, realCliEnv, runCli } from '../../test/fixtures/agents/real-clis.ts';
import { buildClaudeArgs, ZClaudeCodeConfig } from './adapters/claude-code.ts';
import { buildCodexArgs, ZCodexConfig } from './adapters/codex.ts';
import { buildOpenCodeArgs } from './adapters/opencode.ts';
import { createInterventionInbox } from './intervention-inbox.ts';
import { runAgent } from './run-agent.ts';

describe('claude (@anthropic-ai/claude-code 2.1.328) takes the arguments the adapter builds', () => {
  // With stream-json input and stdin closed at once, claude parses its arguments, has no
  // message to answer and exits: no model call. Commander refuses a bad argument first.
  async function claudeWith(args: string[], extraEnv: Record<string, string> = {}) {
    const { worktree, home } = await makeGitWorktree();
    const env = realCliEnv(home, { ANTHROPIC_BASE_URL: 'http://127.0.0.1:9', ANTHROPIC_API_KEY: 'unused', ...extraEnv });
    return runCli(realCli('claude'), args, { cwd: worktree, env: { ...env, CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1' } });
  }
  const everyOption = ZClaudeCodeConfig.parse({
    maxTurns: 40,
    allowedTools: ['Edit', 'Bash(npm test)'],
    disallowedTools: ['WebFetch'],
    model: 'claude-sonnet-4-5',
  });

  it.each(['default', 'acceptEdits', 'plan'] as const)('every option, permission mode %s', async (permissionMode) => {
    const run = await claudeWith(buildClaudeArgs({ ...everyOption, permissionMode }));
    expect(run).toMatchObject({ code: 0, stderr: '' });
  });

  it('bypassPermissions: refused as root unless the process is marked sandboxed (IS_SANDBOX=1)', async () => {
    const args = buildClaudeArgs({ ...everyOption, permissionMode: 'bypassPermissions' });
    if (process.getuid?.() === 0) {
      const asRoot = await claudeWith(args);
      expect(asRoot.code).not.toBe(0);
      expect(asRoot.stderr).toContain('cannot be used with root/sudo privileges');
    }
    expect(await claudeWith(args, { IS_SANDBOX: '1' })).toMatchObject({ code: 0, stderr: '' });
  });

  it('--resume: claude looks the session up (and says it has no such conversation here)', async () => {
    const run = await claudeWith(buildClaudeArgs(everyOption, '0b6f8a52-9d0e-4c1a-8f7e-2b9c4d5e6f70'));
    expect(run.stderr).not.toMatch(/^error: /m);
    expect(run.stdout + run.stderr).toContain('No conversation found with session ID: 0b6f8a52-9d0e-4c1a-8f7e-2b9c4d5e6f70');
  });

  it('refuses an argument it does not know, so the cases above prove something', async () => {
    const run = await claudeWith([...buildClaudeArgs(everyOption), '--full-auto']);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain("error: unknown option '--full-auto'");
  });
});

describe('codex (@openai/codex) takes the arguments the adapter builds', () => {
  async function codexWith(args: (baseUrl: string) => string[]) {
    const { worktree, home } = await makeGitWorktree();
    const server = await startResponsesServer(() => ({ output: [{ type: 'message', text: 'Nothing to do' }] }));
    onTestFinished(() => server.close());
    const run = await runCli(realCli('codex'), args(`${server.url}/v1`), {
      cwd: worktree,
      env: realCliEnv(home, { OPENAI_API_KEY: 'sk-local-test' }),
    });
    return { ...run, turns: server.turns() };
  }
  const config = (baseUrl: string) => ZCodexConfig.parse({ model: 'gpt-local', provider: { id: 'local', baseUrl } });

  it('every option, a prompt that starts with a dash', async () => {
    const run = await codexWith((baseUrl) => buildCodexArgs(config(baseUrl), '- fix the login bug'));
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('"type":"turn.completed"');
    expect(run.turns).toHaveLength(1);
  });

  it('refuses the --full-auto the adapter used to pass (gone since codex-cli 0.169)', async () => {
    const run = await codexWith((baseUrl) => {
      const args = buildCodexArgs(config(baseUrl), 'Add a greeting');
      return [args[0]!, '--full-auto', ...args.slice(1)];
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("error: unexpected argument '--full-auto' found");
    expect(run.turns).toHaveLength(0);
  });
});

describe('opencode (opencode-ai 1.18.33) takes the arguments the adapter builds', () => {
  // OpenCode installs its plugin package from the npm registry at start; pointed at a
  // closed port it goes on without it, so nothing is downloaded.
  const offline = { npm_config_registry: 'http://127.0.0.1:9/', BUN_CONFIG_REGISTRY: 'http://127.0.0.1:9/' };

  it('runs for real with a model, an agent and a prompt that starts with a dash, then resumes its session', {
    timeout: 240_000,
  }, async () => {
    realCli('opencode');
    const { worktree, home } = await makeGitWorktree();
    const server = await startAnthropicServer((request) => {
      // OpenCode asks its small model for a session title first.
      if (request.model !== 'claude-local') return { blocks: [{ type: 'text', text: 'A title' }] };
      const said = lastUserMessage(request).texts.join('\n');
      return { blocks: [{ type: 'text', text: said.includes('Keep it short') ? 'Kept short' : 'First answer' }] };
    });
    onTestFinished(() => server.close());
    const provider = {
      anthropic: {
        options: { baseURL: `${server.url}/v1`, apiKey: 'sk-ant-local-test' },
        models: { 'claude-local': { name: 'claude-local' } },
      },
    };
    const env = realCliEnv(home, {
      ...offline,
      OPENCODE_CONFIG_CONTENT: JSON.stringify({ provider, autoupdate: false, share: 'disabled' }),
      OPENCODE_DISABLE_MODELS_FETCH: '1',
      OPENCODE_DISABLE_AUTOUPDATE: '1',
    });
    const interventions = createInterventionInbox();
    interventions.push('Keep it short');
    const { options, log } = agentRun(worktree, {
      adapter: 'OPENCODE',
      config: { model: 'anthropic/claude-local', agent: 'build' },
      prompt: '- say hello',
      env,
      interventions,
    });

    const result = await runAgent(options);

    expect(result).toMatchObject({ exitCode: 0, ok: true, summary: 'Kept short', interventionsDelivered: 1 });
    expect(result.agentSessionRef).toMatch(/^ses_/);
    const texts = server
      .turns()
      .filter((t) => t.model === 'claude-local')
      .map((t) => lastUserMessage(t).texts.join('\n'));
    expect(texts[0]).toContain('- say hello');
    expect(texts.at(-1)).toContain('Keep it short');
    expect(log.text()).toContain(`[parallax] handing an intervention to opencode (resuming ${result.agentSessionRef})\n`);
  });

  it('refuses an argument it does not know, so the run above proves something', async () => {
    const { worktree, home } = await makeGitWorktree();
    const args = buildOpenCodeArgs({ model: 'anthropic/claude-local', agent: 'build' }, 'Add a greeting', 'ses_0000');
    const run = await runCli(realCli('opencode'), [args[0]!, '--full-auto', ...args.slice(1)], {
      cwd: worktree,
      env: realCliEnv(home, offline),
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('opencode run [message..]'); // yargs' usage, printed for an unknown option
  });
});
