// Codex CLI headless: `codex exec --json`, JSONL events on stdout. It cannot take a
// message while it works, so interventions go in by `codex exec resume <thread>` after
// the run, the way the Codex SDK drives it.
import { z } from 'zod';
import { parseAgentConfig } from '../errors.ts';
import { startAgentProcess } from '../process-runner.ts';
import type { Adapter, AgentResult, AgentRun } from '../types.ts';
import { type CliReport, parseJsonLine, resumeForInterventions, toAgentResult } from './headless-cli.ts';

/**
 * A model provider of the profile's own (a proxy, a self-hosted gateway): Codex then calls
 * `<baseUrl>/responses` with the key from the env var named here, instead of OpenAI.
 */
const ZCodexProvider = z.object({
  id: z.string().regex(/^[a-z][a-z0-9_-]{0,39}$/, 'id is lowercase letters, digits, - and _, e.g. gateway'),
  baseUrl: z
    .url({ protocol: /^https?$/ })
    // It goes into a TOML string on Codex's command line.
    .refine((url) => !/["\\\s]/.test(url), 'baseUrl must not hold quotes, backslashes or spaces'),
  envKey: z
    .string()
    .regex(/^[A-Z_][A-Z0-9_]*$/, 'envKey names an environment variable, e.g. OPENAI_API_KEY')
    .default('OPENAI_API_KEY'),
});

export const ZCodexConfig = z.object({
  model: z.string().min(1).optional(),
  provider: ZCodexProvider.optional(),
});
export type TCodexConfig = z.output<typeof ZCodexConfig>;

const ZThreadStarted = z.object({ type: z.literal('thread.started'), thread_id: z.string().min(1) });
// Older releases named the field item_type and the message assistant_message.
const ZItem = z.object({
  type: z.string().optional(),
  item_type: z.string().optional(),
  text: z.string().optional(),
  command: z.string().optional(),
  exit_code: z.number().nullable().optional(),
  changes: z.array(z.object({ path: z.string(), kind: z.string().optional() })).optional(),
  message: z.string().optional(),
});
const ZItemCompleted = z.object({ type: z.literal('item.completed'), item: ZItem });
const ZTurnFailed = z.object({ type: z.literal('turn.failed'), error: z.object({ message: z.string() }).optional() });
const ZStreamError = z.object({ type: z.literal('error'), message: z.string() });
const ZTurnCompleted = z.object({ type: z.literal('turn.completed') });

export const codexAdapter: Adapter<TCodexConfig> = {
  executable: 'codex',
  parseConfig: ({ config }) => parseAgentConfig('CODEX', ZCodexConfig, config ?? {}),
  async run(run) {
    const first = await runCodexOnce(run, run.prompt, run.resumeRef);
    return resumeForInterventions('codex', run, first, (threadId, message) => runCodexOnce(run, message, threadId));
  },
};

export function buildCodexArgs(config: TCodexConfig, prompt: string, threadId?: string): string[] {
  const args = [
    'exec',
    '--json',
    // Codex's own sandbox (bubblewrap) cannot start inside ours: it needs nested user
    // namespaces and a helper it refuses to write under /tmp, so every command it runs
    // would fail. This is Codex's documented flag for runs that are externally
    // sandboxed, and Parallax's sandbox is that boundary (the --sandbox modes do not
    // reach `exec resume`; this flag does). It also never asks for an approval.
    '--dangerously-bypass-approvals-and-sandbox',
    // The worktree is Parallax's own checkout; the check only guards people against
    // running Codex in a stray folder, and a sandboxed clone need not look like a repo to it.
    '--skip-git-repo-check',
    // Else each run syncs Codex's plugin marketplace from github.com: a host the session's
    // sandbox does not allow, and code nobody reviewed. The model provider stays the only host.
    '--disable',
    'plugins',
  ];
  if (config.provider) {
    const { id, baseUrl, envKey } = config.provider;
    args.push(
      '-c',
      `model_provider=${JSON.stringify(id)}`,
      '-c',
      `model_providers.${id}={name=${JSON.stringify(id)},base_url=${JSON.stringify(baseUrl)},env_key=${JSON.stringify(envKey)},wire_api="responses"}`,
    );
  }
  if (config.model) args.push('--model', config.model);
  if (threadId) args.push('resume', threadId);
  // After `--` a prompt that starts with a dash is still the prompt.
  args.push('--', prompt);
  return args;
}

async function runCodexOnce(run: AgentRun<TCodexConfig>, prompt: string, threadId?: string): Promise<AgentResult> {
  const report: CliReport = threadId ? { sessionRef: threadId } : {};
  const readLine = (line: string): string | null => {
    const event = parseJsonLine(line);
    if (event === undefined) return line;
    const started = ZThreadStarted.safeParse(event);
    if (started.success) {
      report.sessionRef = started.data.thread_id;
      run.reportSessionRef(started.data.thread_id);
      return `[codex] thread ${started.data.thread_id}`;
    }
    const completed = ZItemCompleted.safeParse(event);
    if (completed.success) return describeItem(completed.data.item, report);
    const failed = ZTurnFailed.safeParse(event);
    if (failed.success) {
      report.failure = `codex: turn failed${failed.data.error ? `: ${failed.data.error.message}` : ''}`;
      return `[${report.failure}]`;
    }
    const error = ZStreamError.safeParse(event);
    if (error.success) {
      report.failure = `codex: ${error.data.message}`;
      return `[${report.failure}]`;
    }
    // A turn that completes after an error event (a reconnect, say) succeeded after all.
    if (ZTurnCompleted.safeParse(event).success) report.failure = undefined;
    return null; // turn.started, item.started/updated, future events
  };
  const proc = startAgentProcess({
    executable: 'codex',
    args: buildCodexArgs(run.config, prompt, threadId),
    cwd: run.worktree,
    env: run.env,
    log: run.log,
    signal: run.signal,
    killGraceMs: run.killGraceMs,
    readStdoutLine: readLine,
  });
  return toAgentResult('codex', await proc.exited, report, run, 0);
}

function describeItem(item: z.output<typeof ZItem>, report: CliReport): string | null {
  switch (item.type ?? item.item_type) {
    case 'agent_message':
    case 'assistant_message':
      if (item.text) report.summary = item.text;
      return item.text ?? null;
    case 'command_execution':
      return `$ ${item.command ?? ''}${item.exit_code == null ? '' : ` (exit ${item.exit_code})`}`;
    case 'file_change':
      return `changed ${(item.changes ?? []).map((c) => c.path).join(', ')}`;
    case 'error':
      return item.message ? `[codex] ${item.message}` : null;
    default:
      return null; // reasoning, todo lists, web searches, future item types
  }
}
