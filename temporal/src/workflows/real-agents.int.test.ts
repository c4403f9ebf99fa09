// The real agent CLIs end to end: a session dispatched like any other runs the pinned
// Claude Code or Codex inside the worker's bubblewrap sandbox, its model a local server
// that speaks the provider's API (reached as host.parallax.internal, the only host the
// sandbox lets through), its API key and base URL the org's sealed agent variables; the
// checks run, and the work lands as a PR on the local forge.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { AgentAdapter, Database } from '@parallax/db';
import { dispatchTask } from '@parallax/fleet';
import {
  type AnthropicBlock,
  type AnthropicServer,
  createFleetOrg,
  createOriginRepo,
  functionCallOutputs,
  gitIn,
  lastUserMessage,
  type MessagesRequest,
  modelUrl,
  type ResponsesOutputItem,
  type ResponsesRequest,
  type ResponsesServer,
  startAnthropicServer,
  startResponsesServer,
  until,
} from '@parallax/fleet/testing';
import { keyringFromEnv, setAgentSecret } from '@parallax/secrets';
import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FleetEngine } from '../client.ts';
import { useFleetWorker } from '../test-fleet-worker.ts';
import type { SessionStatusView } from './agent-session.ts';

type ClaudeScript = (request: MessagesRequest, index: number) => AnthropicBlock[] | Promise<AnthropicBlock[]>;
type CodexScript = (request: ResponsesRequest, index: number) => ResponsesOutputItem[];
let claudeScript: ClaudeScript = () => [{ type: 'text', text: 'no script' }];
let codexScript: CodexScript = () => [{ type: 'message', text: 'no script' }];
let anthropic: AnthropicServer;
let responses: ResponsesServer;
// The servers live as long as the file; each test's script counts its own turns from 0.
let claudeTurnsBefore = 0;
let codexTurnsBefore = 0;
function scriptClaude(script: ClaudeScript) {
  claudeTurnsBefore = anthropic.turns().length;
  claudeScript = script;
}
function scriptCodex(script: CodexScript) {
  codexTurnsBefore = responses.turns().length;
  codexScript = script;
}

const WORKER_SECRET = 'the-worker-own-secret';
const previousKey = process.env.PARALLAX_SECRETS_KEY;
process.env.PARALLAX_SECRETS_KEY = randomBytes(32).toString('base64');

const worker = useFleetWorker('real-agents', async () => {
  anthropic = await startAnthropicServer(async (request, index) => ({ blocks: await claudeScript(request, index - claudeTurnsBefore) }));
  responses = await startResponsesServer((request, index) => ({ output: codexScript(request, index - codexTurnsBefore) }));
  // The operator opens the two model servers on the worker's loopback to agents, and nothing else.
  return { interventionPollMs: 200, sandbox: { mode: 'bubblewrap', hostServicePorts: [anthropic.port, responses.port] } };
});
let db: Database;
let client: Client;
let fleet: FleetEngine;
let reposDir: string;

beforeAll(() => {
  ({ db, client, fleet, reposDir } = worker);
  process.env.PARALLAX_REAL_AGENTS_WORKER_SECRET = WORKER_SECRET;
});

afterAll(async () => {
  delete process.env.PARALLAX_REAL_AGENTS_WORKER_SECRET;
  if (previousKey === undefined) delete process.env.PARALLAX_SECRETS_KEY;
  else process.env.PARALLAX_SECRETS_KEY = previousKey;
  await Promise.all([anthropic?.close(), responses?.close()]);
});

const CHECK_SH = '#!/bin/sh\n[ -e GREETING.md ] || [ -e CODEX.md ] || { echo "nothing written"; exit 1; }\necho "checks passed"\n';

/** An org whose one agent profile is the real CLI, given its model's address and key as sealed agent variables. */
async function orgWithAgent(adapter: AgentAdapter, variables: Record<string, string>, config: unknown = {}) {
  const origin = await createOriginRepo(reposDir, { 'README.md': '# fixture\n', 'check.sh': CHECK_SH, 'app.log': 'started\n' });
  const org = await createFleetOrg(db, { repository: { localPath: origin.path, testCommand: 'sh check.sh' } });
  const keyring = keyringFromEnv();
  const profile = await db.forOrg(org.orgId, async (tx) => {
    for (const [name, value] of Object.entries(variables)) {
      await setAgentSecret(tx, { orgId: org.orgId, actorUserId: org.developerId, name, value, keyring });
    }
    return tx.agentProfile.create({
      data: { orgId: org.orgId, name: adapter.toLowerCase(), adapter, config: config as object, secretNames: Object.keys(variables) },
    });
  });
  return { ...org, origin, agentProfileId: profile.id };
}

type Org = Awaited<ReturnType<typeof orgWithAgent>>;

async function dispatch(org: Org, title: string, prompt: string) {
  return dispatchTask(
    db,
    { orgId: org.orgId, developerId: org.developerId, channel: 'WEB', actorUserId: org.developerId, rawPayload: { title } },
    { repositoryId: org.repositoryId, title, prompt, agentProfileId: org.agentProfileId },
    (args) => fleet.startSession(args),
  );
}

const status = (workflowId: string) => client.workflow.getHandle(workflowId).query<SessionStatusView>('status');
const sessionRow = (org: Org, sessionId: string) =>
  db.forOrg(org.orgId, (tx) =>
    tx.agentSession.findUniqueOrThrow({ where: { id: sessionId }, include: { pullRequest: true, events: { orderBy: { at: 'asc' } } } }),
  );

async function logOf(org: Org, sessionId: string) {
  const chunks = await db.forOrg(org.orgId, (tx) => tx.sessionLogChunk.findMany({ where: { sessionId }, orderBy: { seq: 'asc' } }));
  return chunks.map((c) => c.text).join('');
}

const processesRunning = (command: string) =>
  execFileSync('ps', ['-eo', 'args'])
    .toString()
    .split('\n')
    .filter((line) => line.trim() === command);

describe('the real Claude Code as a session', { timeout: 180_000 }, () => {
  it('writes, runs Bash in its sandbox, takes a correction, ends promptly and its work becomes a PR', async () => {
    // Unattended in its sandbox, as a fleet agent runs: no permission prompts.
    const org = await orgWithAgent(
      'CLAUDE_CODE',
      { ANTHROPIC_API_KEY: 'sk-ant-org-key', ANTHROPIC_BASE_URL: modelUrl(anthropic) },
      { permissionMode: 'bypassPermissions' },
    );
    let workflowId = '';
    let finalAnswerAt = 0;
    const probe =
      'curl -sS -m 5 https://example.com/ 2>&1 | head -c 300; echo; printenv PARALLAX_REAL_AGENTS_WORKER_SECRET || echo "no worker secret"; git status --porcelain';
    scriptClaude(async (request, index) => {
      if (index === 0) {
        const worktree = /Primary working directory: (\S+)/.exec(JSON.stringify(request.system))?.[1] ?? '.';
        return [
          { type: 'text', text: 'Adding the greeting.' },
          { type: 'tool_use', name: 'Write', input: { file_path: `${worktree}/GREETING.md`, content: 'Hello from the sandbox\n' } },
        ];
      }
      if (index === 1) {
        // A person's correction reaches the session while this command runs.
        await fleet.intervene(workflowId, {
          interventionId: crypto.randomUUID(),
          message: 'Mention the files',
          actorUserId: org.developerId,
        });
        await new Promise((r) => setTimeout(r, 600)); // the worker's mailbox is read every 200 ms
        return [{ type: 'tool_use', name: 'Bash', input: { command: `sleep 2; ${probe}`, description: 'Try the network' } }];
      }
      finalAnswerAt = Date.now();
      return [{ type: 'text', text: `Done: ${lastUserMessage(request).toolResults.join(' ').trim().split('\n').pop()}` }];
    });
    const dispatched = await dispatch(org, 'greet from the sandbox', 'Add GREETING.md');
    workflowId = dispatched.workflowId;

    const open = await until('the PR', async () => (await status(workflowId)).phase === 'FOLLOWING_PR' && status(workflowId), 150_000);
    expect(open.pullRequest).toMatchObject({ state: 'OPEN' });
    const row = await sessionRow(org, dispatched.sessionId);
    expect(row).toMatchObject({ status: 'SUCCEEDED', checksPassed: true, agentExitCode: 0, sandboxMode: 'bubblewrap' });
    expect(row.agentSessionRef).toMatch(/^[0-9a-f-]{36}$/);
    // Claude's own reckoning of what the session cost (from the tokens the server reported), kept for cost per PR.
    expect(row.agentCostUsd).toBeGreaterThan(0);
    const exited = row.events.find((e) => e.type === 'AGENT_EXITED')!;
    expect(exited.at.getTime() - finalAnswerAt).toBeLessThan(10_000); // not Claude's 120 s settle time
    const head = gitIn(org.origin.path, ['rev-parse', `refs/heads/${row.branch}`]);
    expect(gitIn(org.origin.path, ['show', `${head}:GREETING.md`])).toBe('Hello from the sandbox');
    expect(gitIn(org.origin.path, ['log', '-1', '--format=%an', head])).toBe('claude_code (Parallax agent)');

    const turns = anthropic.turns().slice(-3);
    expect(turns).toHaveLength(3);
    // The key came from the org's sealed variables; the correction was folded into the running turn.
    expect(anthropic.requests.at(-1)?.headers['x-api-key']).toBe('sk-ant-org-key');
    const folded = lastUserMessage(turns[2]!);
    expect(folded.texts.join('\n')).toContain('Mention the files');
    const seen = folded.toolResults.join('\n');
    expect(seen).toContain('no worker secret');
    expect(seen).not.toContain(WORKER_SECRET);
    expect(seen).toContain('403'); // the egress proxy refused example.com
    expect(seen).toContain('?? GREETING.md');

    const log = await logOf(org, dispatched.sessionId);
    expect(log).toContain('[parallax] sandbox: refused a connection to example.com:443: not in the agent profile’s allowed hosts');
    expect(log).toContain('[claude] took in the intervention');
    expect(log).toContain('checks passed');
    expect(log).not.toContain('UNSANDBOXED');
  });

  it('cancelled while its command runs: the session ends CANCELLED and nothing it started is left', async () => {
    const org = await orgWithAgent('CLAUDE_CODE', { ANTHROPIC_API_KEY: 'sk-ant-org-key', ANTHROPIC_BASE_URL: modelUrl(anthropic) });
    scriptClaude((_request, index) =>
      index === 0
        ? [{ type: 'tool_use', name: 'Bash', input: { command: 'tail -f app.log', description: 'Follow the log' } }]
        : [{ type: 'text', text: 'The command ended before the cancel' }],
    );
    const { sessionId, workflowId } = await dispatch(org, 'follow the log', 'Watch app.log');
    await until('claude to run its command', async () => processesRunning('tail -f app.log').length > 0);
    const running = await sessionRow(org, sessionId);

    expect(await fleet.cancel(workflowId, { actorUserId: org.developerId })).toBe(true);
    expect(await until('the outcome', async () => (await status(workflowId)).outcome)).toBe('CANCELLED');
    expect(await sessionRow(org, sessionId)).toMatchObject({ status: 'CANCELLED', cancelledById: org.developerId, pullRequest: null });
    expect(processesRunning('tail -f app.log')).toEqual([]);
    expect(existsSync(running.worktreePath!)).toBe(false);
    expect(org.origin.branches()).toEqual(['main']);
  });
});

describe('the real Codex CLI as a session', { timeout: 180_000 }, () => {
  it('runs the command its model asks for in the sandbox, and the file it wrote becomes a PR', async () => {
    const org = await orgWithAgent(
      'CODEX',
      { OPENAI_API_KEY: 'sk-org-openai-key' },
      { model: 'gpt-local', provider: { id: 'local', baseUrl: modelUrl(responses, '/v1') } },
    );
    const command = 'echo "from codex" > CODEX.md && id -u && git status --porcelain';
    scriptCodex((_request, index) =>
      index === 0
        ? [{ type: 'function_call', name: 'exec_command', arguments: { cmd: command } }]
        : [{ type: 'message', text: 'Wrote CODEX.md' }],
    );
    const { sessionId, workflowId } = await dispatch(org, 'codex writes', 'Write CODEX.md');

    await until('the PR', async () => (await status(workflowId)).phase === 'FOLLOWING_PR', 150_000);
    const row = await sessionRow(org, sessionId);
    expect(row).toMatchObject({ status: 'SUCCEEDED', checksPassed: true, sandboxMode: 'bubblewrap', agentCostUsd: null });
    expect(row.agentSessionRef).toMatch(/^[0-9a-f-]{36}$/);
    expect(gitIn(org.origin.path, ['show', `refs/heads/${row.branch}:CODEX.md`])).toBe('from codex');
    const lastTurn = responses.turns().at(-1)!;
    expect(responses.requests.at(-1)?.headers.authorization).toBe('Bearer sk-org-openai-key');
    const output = functionCallOutputs(lastTurn).join('\n');
    expect(output).toContain('?? CODEX.md');
    // Not root, and not the worker's user: the session's own uid.
    const uid = Number(/Output:\n(\d+)\n/.exec(output)?.[1]);
    expect(uid).toBeGreaterThanOrEqual(process.getuid?.() === 0 ? 100_000 : 1);
    expect(uid).not.toBe(process.getuid?.());
    const log = await logOf(org, sessionId);
    expect(log).toContain('Wrote CODEX.md');
    expect(log).toContain('checks passed');
  });
});
