// The CODEX adapter against the real Codex CLI (the pinned @openai/codex), inside the
// product's bubblewrap sandbox, given a model provider of the profile's own: a local
// server that speaks the OpenAI Responses API, the only host its sandbox lets it reach.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { agentRun } from '../../test/fixtures/agents/index.ts';
import {
  functionCallOutputs,
  type Reply,
  type ResponsesRequest,
  startResponsesServer,
} from '../../test/fixtures/agents/model-servers/responses-server.ts';
import { textOf } from '../../test/fixtures/agents/model-servers/sse-server.ts';
import { cliSandbox, makeGitWorktree, modelUrl, realCli, realCliEnv } from '../../test/fixtures/agents/real-clis.ts';
import { createInterventionInbox } from './intervention-inbox.ts';
import { runAgent } from './run-agent.ts';

const THREAD = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

async function codexSession(script: (request: ResponsesRequest, index: number) => Reply | Promise<Reply>) {
  realCli('codex');
  const checkout = await makeGitWorktree();
  const server = await startResponsesServer(script);
  onTestFinished(() => server.close());
  const sandbox = await cliSandbox(checkout, [server.port]);
  const env = realCliEnv(checkout.home, { OPENAI_API_KEY: 'sk-local-test' });
  const config = { model: 'gpt-local', provider: { id: 'local', baseUrl: modelUrl(server, '/v1') } };
  return { worktree: checkout.worktree, server, env, config, sandbox };
}

describe('the CODEX adapter against the real codex', () => {
  it('runs a command the model asks for in the worktree, outside codex’s own sandbox, and reads its --json events', async () => {
    const command = 'echo hello > CODEX.md && git status --porcelain';
    const { worktree, server, env, config, sandbox } = await codexSession((_request, index) =>
      index === 0
        ? { output: [{ type: 'function_call', name: 'exec_command', arguments: { cmd: command } }] }
        : { output: [{ type: 'message', text: 'Wrote CODEX.md' }] },
    );
    const { options, log } = agentRun(worktree, { adapter: 'CODEX', config, prompt: 'Write CODEX.md', env, sandbox });

    const result = await runAgent(options);

    expect(result).toMatchObject({ exitCode: 0, ok: true, summary: 'Wrote CODEX.md', interventionsDelivered: 0 });
    expect(result.agentSessionRef).toMatch(THREAD);
    expect(readFileSync(join(worktree, 'CODEX.md'), 'utf8')).toBe('hello\n');
    const turns = server.turns();
    expect(turns).toHaveLength(2);
    expect(turns[0]!.model).toBe('gpt-local');
    expect(textOf(turns[0]!.input)).toContain('Write CODEX.md');
    expect(turns[0]!.tools?.map((tool) => tool.name)).toContain('exec_command');
    // Codex's bubblewrap sandbox would have failed the command here ("bwrap: execvp codex-linux-sandbox").
    expect(functionCallOutputs(turns[1]!).join('\n')).toMatch(/Process exited with code 0[\s\S]*\?\? CODEX\.md/);
    expect(log.text()).toContain(`[codex] thread ${result.agentSessionRef}\n`);
    // Inside the sandbox the shell is found on its PATH: /usr/bin/bash there, /bin/bash on most hosts.
    expect(log.text()).toMatch(/\$ (\/usr)?\/bin\/bash -lc 'echo hello > CODEX\.md && git status --porcelain' \(exit 0\)\n/);
    expect(log.text()).toContain('Wrote CODEX.md\n');
    expect(log.text()).not.toContain('"type":"item.completed"');
  });

  it('hands an intervention over by resuming the thread: the real codex takes the resume arguments', async () => {
    const interventions = createInterventionInbox();
    interventions.push('-Also mention the tests');
    const { worktree, server, env, config, sandbox } = await codexSession((request, index) => {
      if (index === 0) return { output: [{ type: 'message', text: 'First pass done' }] };
      const said = textOf(request.input);
      return { output: [{ type: 'message', text: said.includes('-Also mention the tests') ? 'Tests mentioned' : 'Unexpected' }] };
    });
    const { options, log } = agentRun(worktree, { adapter: 'CODEX', config, env, interventions, sandbox });

    const result = await runAgent(options);

    expect(result).toMatchObject({ ok: true, summary: 'Tests mentioned', interventionsDelivered: 1 });
    expect(server.turns()).toHaveLength(2);
    // The resumed request carries the first turn: the same thread, not a new one.
    expect(textOf(server.turns()[1]!.input)).toContain('First pass done');
    expect(log.text()).toContain(`[parallax] handing an intervention to codex (resuming ${result.agentSessionRef})\n`);
    expect(log.text().match(/\[codex\] thread /g)).toHaveLength(2);
  });

  it('reports the model server refusing the request as a failed run, with its message', async () => {
    const { worktree, env, config, sandbox } = await codexSession(() => ({ status: 400, message: 'model gpt-local is not served here' }));
    const { options } = agentRun(worktree, { adapter: 'CODEX', config, env, sandbox });

    const result = await runAgent(options);

    expect(result.ok).toBe(false);
    expect(result.failure).toMatch(/^codex: .*model gpt-local is not served here/);
  });
});
