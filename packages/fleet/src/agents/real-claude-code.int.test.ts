// The CLAUDE_CODE adapter against the real Claude Code (the pinned @anthropic-ai/claude-code),
// inside the product's bubblewrap sandbox, pointed at a local server that speaks the
// Anthropic Messages API (the only host its sandbox lets it reach): no model, no internet.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { agentRun, isAlive, waitFor } from '../../test/fixtures/agents/index.ts';
import {
  type Block,
  lastUserMessage,
  type MessagesRequest,
  type Reply,
  startAnthropicServer,
} from '../../test/fixtures/agents/model-servers/anthropic-server.ts';
import { textOf } from '../../test/fixtures/agents/model-servers/sse-server.ts';
import { cliSandbox, makeGitWorktree, modelUrl, processesIn, realCli, realCliEnv } from '../../test/fixtures/agents/real-clis.ts';
import { createInterventionInbox } from './intervention-inbox.ts';
import { runAgent } from './run-agent.ts';

const FOLDED = 'The user sent a new message while you were working';

async function claudeSession(script: (request: MessagesRequest, index: number) => Block[] | Promise<Block[]>, refusal?: Reply) {
  realCli('claude');
  const checkout = await makeGitWorktree();
  const server = await startAnthropicServer(async (request, index) => refusal ?? { blocks: await script(request, index) });
  onTestFinished(() => server.close());
  const sandbox = await cliSandbox(checkout, [server.port]);
  const env = realCliEnv(checkout.home, {
    ANTHROPIC_BASE_URL: modelUrl(server),
    ANTHROPIC_API_KEY: 'sk-ant-local-test',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
  });
  return { worktree: checkout.worktree, server, env, sandbox };
}

describe('the CLAUDE_CODE adapter against the real claude', () => {
  it('writes with Write, runs Bash, takes a correction while Bash runs and ends promptly after the one result', async () => {
    const interventions = createInterventionInbox();
    let finalAnswerAt = 0;
    const { worktree, server, env, sandbox } = await claudeSession((request, index) => {
      if (index === 0) {
        return [
          { type: 'text', text: 'Adding the greeting.' },
          { type: 'tool_use', name: 'Write', input: { file_path: join(worktree, 'GREETING.md'), content: 'Hello from Parallax\n' } },
        ];
      }
      if (index === 1) {
        // The correction reaches claude while this command runs.
        interventions.push('Also say which files changed');
        return [{ type: 'tool_use', name: 'Bash', input: { command: 'sleep 2 && git status --porcelain', description: 'Show changes' } }];
      }
      finalAnswerAt = Date.now();
      const seen = lastUserMessage(request);
      return [{ type: 'text', text: `Greeting added; changed: ${seen.toolResults.join(' ').trim()}` }];
    });
    const { options, log } = agentRun(worktree, { adapter: 'CLAUDE_CODE', prompt: 'Add a greeting file', env, interventions, sandbox });

    const result = await runAgent(options);

    expect(Date.now() - finalAnswerAt).toBeLessThan(5_000); // not the 120 s settle time
    expect(result).toMatchObject({ exitCode: 0, ok: true, interventionsDelivered: 1, summary: 'Greeting added; changed: ?? GREETING.md' });
    expect(readFileSync(join(worktree, 'GREETING.md'), 'utf8')).toBe('Hello from Parallax\n');
    const turns = server.turns();
    expect(turns).toHaveLength(3); // the correction was folded into the turn, not given one of its own
    expect(lastUserMessage(turns[0]!).texts.join('\n')).toContain('Add a greeting file');
    expect(lastUserMessage(turns[1]!).toolResults.join('\n')).toContain('GREETING.md');
    const folded = lastUserMessage(turns[2]!).texts.join('\n');
    expect(folded).toContain(FOLDED);
    expect(folded).toContain('Also say which files changed');
    expect(textOf(turns[0])).toContain(`Primary working directory: ${worktree}`);
    expect(log.text()).toContain(`[claude] session ${result.agentSessionRef}`);
    expect(log.text()).toContain(`→ Write ${join(worktree, 'GREETING.md')}\n`);
    expect(log.text()).toContain('→ Bash sleep 2 && git status --porcelain\n');
    expect(log.text()).toMatch(/\[parallax\] intervention handed to claude\n[\s\S]*\[claude\] took in the intervention\nGreeting added/);
    expect(log.text()).toMatch(/\[claude\] success after \d+ turns/);
  });

  it('answers a message that arrives while claude writes its final answer before ending the session', async () => {
    const interventions = createInterventionInbox();
    const { worktree, server, env, sandbox } = await claudeSession(async (request, index) => {
      if (index === 0) {
        interventions.push('Then add a second line');
        await new Promise((resolve) => setTimeout(resolve, 1_000)); // the message lands while this answer is on its way
        return [{ type: 'text', text: 'First answer' }];
      }
      const seen = lastUserMessage(request).texts.join('\n');
      return [{ type: 'text', text: seen.includes('Then add a second line') ? 'Second answer' : 'Unexpected request' }];
    });
    const { options } = agentRun(worktree, { adapter: 'CLAUDE_CODE', prompt: 'Say something', env, interventions, sandbox });

    const startedAt = Date.now();
    const result = await runAgent(options);

    expect(result).toMatchObject({ ok: true, interventionsDelivered: 1, summary: 'Second answer' });
    expect(server.turns()).toHaveLength(2);
    expect(Date.now() - startedAt).toBeLessThan(30_000);
  });

  it('reports the model server refusing the request as a failed run, with its message', async () => {
    const { worktree, env, sandbox } = await claudeSession(() => [], {
      status: 400,
      message: 'prompt is too long: 300000 tokens > 200000 maximum',
    });
    const { options } = agentRun(worktree, { adapter: 'CLAUDE_CODE', env, sandbox });

    const result = await runAgent(options);

    expect(result.ok).toBe(false);
    expect(result.failure).toMatch(/^claude: .*prompt is too long/i);
  });

  it('on cancel, takes claude and the command it runs down: nothing is left running in the worktree', async () => {
    // Not `sleep` (Claude Code refuses a standalone long sleep) nor a file outside the worktree (refused in acceptEdits).
    const { worktree, env, sandbox } = await claudeSession((_request, index) =>
      index === 0
        ? [{ type: 'tool_use', name: 'Bash', input: { command: 'tail -f app.log', description: 'Follow the log' } }]
        : [{ type: 'text', text: 'The command ended before the cancel' }],
    );
    writeFileSync(join(worktree, 'app.log'), 'started\n');
    const { options, controller } = agentRun(worktree, { adapter: 'CLAUDE_CODE', env, killGraceMs: 2_000, sandbox });

    const running = runAgent(options);
    const following = () => processesIn(worktree).filter((pid) => commandOf(pid).startsWith('tail -f'));
    await waitFor(() => following().length > 0, 30_000);
    const before = processesIn(worktree);
    expect(before.length).toBeGreaterThanOrEqual(2); // claude and its command, at least
    controller.abort(new Error('cancelled by a human'));

    await expect(running).rejects.toThrow('cancelled by a human');
    expect(before.filter(isAlive)).toEqual([]);
    expect(processesIn(worktree).filter(isAlive)).toEqual([]);
  });
});

function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}
