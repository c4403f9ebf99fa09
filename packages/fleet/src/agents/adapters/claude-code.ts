// Claude Code headless: `claude -p` with stream-json both ways. The task and every
// intervention travel as user messages on stdin while the agent works. Claude echoes each
// message back (--replay-user-messages) when it takes it in: to start a turn, or folded
// into the turn that runs ("The user sent a new message while you were working: …").
// A `result` answers every message taken in before it, so once no message is left
// untaken, closing stdin ends the session.
import { z } from 'zod';
import { parseAgentConfig } from '../errors.ts';
import { startAgentProcess } from '../process-runner.ts';
import type { Adapter, AgentRun } from '../types.ts';
import { type CliReport, parseJsonLine, toAgentResult } from './headless-cli.ts';

export const ZClaudeCodeConfig = z.object({
  permissionMode: z.enum(['default', 'acceptEdits', 'plan', 'bypassPermissions']).default('acceptEdits'),
  maxTurns: z.number().int().positive().optional(),
  allowedTools: z.array(z.string().min(1)).optional(),
  disallowedTools: z.array(z.string().min(1)).optional(),
  model: z.string().min(1).optional(),
  /**
   * After a `result`, how long to wait for Claude to take in a message it was sent before
   * closing stdin anyway: a safety net should a CLI release stop echoing what it reads.
   */
  turnSettleMs: z.number().int().positive().default(120_000),
});
export type TClaudeCodeConfig = z.output<typeof ZClaudeCodeConfig>;

const ZInit = z.object({
  type: z.literal('system'),
  subtype: z.literal('init'),
  session_id: z.string().min(1),
  model: z.string().optional(),
});
const ZContentBlock = z.object({
  type: z.string(),
  text: z.string().optional(),
  name: z.string().optional(),
  input: z.unknown().optional(),
});
// The echo of a message we sent, as Claude takes it in; tool results come as `user` lines too, without isReplay.
const ZReplay = z.object({ type: z.literal('user'), isReplay: z.literal(true) });
const ZAssistant = z.object({ type: z.literal('assistant'), message: z.object({ content: z.array(ZContentBlock).default([]) }) });
const ZResult = z.object({
  type: z.literal('result'),
  subtype: z.string().default('success'),
  is_error: z.boolean().default(false),
  result: z.string().optional(),
  errors: z.array(z.unknown()).optional(),
  session_id: z.string().optional(),
  num_turns: z.number().optional(),
  duration_ms: z.number().optional(),
  total_cost_usd: z.number().optional(),
});

export const claudeCodeAdapter: Adapter<TClaudeCodeConfig> = {
  executable: 'claude',
  parseConfig: ({ config }) => parseAgentConfig('CLAUDE_CODE', ZClaudeCodeConfig, config ?? {}),
  run: runClaudeCode,
};

export function buildClaudeArgs(config: TClaudeCodeConfig, resumeRef?: string): string[] {
  // No prompt argument: with --input-format stream-json the task is the first stdin message.
  const args = [
    '-p',
    '--output-format',
    'stream-json',
    '--verbose',
    '--input-format',
    'stream-json',
    '--replay-user-messages',
    '--permission-mode',
    config.permissionMode,
  ];
  if (config.maxTurns !== undefined) args.push('--max-turns', String(config.maxTurns));
  if (config.allowedTools?.length) args.push('--allowedTools', config.allowedTools.join(','));
  if (config.disallowedTools?.length) args.push('--disallowedTools', config.disallowedTools.join(','));
  if (config.model) args.push('--model', config.model);
  if (resumeRef) args.push('--resume', resumeRef);
  return args;
}

const userMessage = (text: string) => `${JSON.stringify({ type: 'user', message: { role: 'user', content: [{ type: 'text', text }] } })}\n`;

async function runClaudeCode(run: AgentRun<TClaudeCodeConfig>) {
  const report: CliReport = {};
  let hasResult = false;
  let sent = 1; // the task itself
  let takenIn = 0; // messages Claude echoed back: each is answered by the next result
  let isSettling = false; // a result came while a message sent was not yet taken in
  let delivered = 0;
  let settle: NodeJS.Timeout | undefined;
  const handOver = new AbortController();
  const endSession = () => {
    isSettling = false;
    clearTimeout(settle);
    handOver.abort();
    proc.endInput();
  };

  const readEvent = (line: string): string | null => {
    const event = parseJsonLine(line);
    if (event === undefined) return line;
    const init = ZInit.safeParse(event);
    if (init.success) {
      report.sessionRef = init.data.session_id;
      run.reportSessionRef(init.data.session_id);
      return `[claude] session ${init.data.session_id}${init.data.model ? ` on ${init.data.model}` : ''}`;
    }
    if (ZReplay.safeParse(event).success) {
      takenIn++;
      if (takenIn >= sent) isSettling = false; // nothing left to wait for: the next result ends it
      return takenIn > 1 ? '[claude] took in the intervention' : null;
    }
    const assistant = ZAssistant.safeParse(event);
    if (assistant.success) return describeAssistant(assistant.data.message.content);
    const result = ZResult.safeParse(event);
    if (result.success) {
      const r = result.data;
      hasResult = true;
      if (r.is_error || r.subtype !== 'success') {
        const detail = r.result ?? r.errors?.map((e) => (typeof e === 'string' ? e : JSON.stringify(e))).join('; ');
        report.failure = `claude: ${r.subtype}${detail ? `: ${detail}` : ''}`;
      } else {
        report.failure = undefined;
        if (r.result) report.summary = r.result;
      }
      // A message sent but not yet taken in will start a turn of its own, with its own result.
      if (takenIn >= sent) endSession();
      else isSettling = true;
      // Claude's total is the whole process's so far: the last result carries the session's.
      if (r.total_cost_usd !== undefined) report.costUsd = r.total_cost_usd;
      const cost = r.total_cost_usd === undefined ? '' : `, $${r.total_cost_usd.toFixed(2)}`;
      return `[claude] ${r.subtype} after ${r.num_turns ?? '?'} turns${r.duration_ms === undefined ? '' : `, ${Math.round(r.duration_ms / 1000)} s`}${cost}`;
    }
    return null; // user echoes of tool results, stream events, future message types
  };
  const readLine = (line: string) => {
    clearTimeout(settle);
    const shown = readEvent(line);
    // Closing stdin only means "no more messages": Claude still finishes what it has.
    if (isSettling) settle = setTimeout(endSession, run.config.turnSettleMs);
    return shown;
  };

  const proc = startAgentProcess({
    executable: 'claude',
    args: buildClaudeArgs(run.config, run.resumeRef),
    cwd: run.worktree,
    // Documented: no auto-update (it would write into the installed package), telemetry or error
    // reports; in a sandbox that lets through only the model host those calls would be refused anyway.
    env: { CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1', ...run.env },
    stdin: 'pipe',
    log: run.log,
    signal: run.signal,
    killGraceMs: run.killGraceMs,
    readStdoutLine: readLine,
  });
  await proc.send(userMessage(run.prompt));

  const handingOver = (async () => {
    for (;;) {
      const message = await run.interventions.next(handOver.signal).catch(() => null);
      if (message === null) return;
      sent++; // before the write: a result that races it must not end the session
      if (await proc.send(userMessage(message))) {
        delivered++;
        run.log.write('[parallax] intervention handed to claude\n');
      } else {
        sent--;
        run.log.write('[parallax] intervention not delivered: claude no longer reads its input\n');
      }
    }
  })();

  const exit = await proc.exited;
  clearTimeout(settle);
  handOver.abort();
  await handingOver;
  if (!hasResult && exit.exitCode === 0) report.failure = 'claude ended without reporting a result';
  return toAgentResult('claude', exit, report, run, delivered);
}

function describeAssistant(content: z.output<typeof ZContentBlock>[]): string | null {
  const lines: string[] = [];
  for (const block of content) {
    if (block.type === 'text' && block.text?.trim()) lines.push(block.text.trim());
    if (block.type === 'tool_use' && block.name) lines.push(`→ ${block.name}${describeToolTarget(block.input)}`);
  }
  return lines.length ? lines.join('\n') : null;
}

function describeToolTarget(input: unknown): string {
  if (typeof input !== 'object' || input === null) return '';
  const fields = input as Record<string, unknown>;
  for (const key of ['file_path', 'path', 'command', 'pattern', 'url']) {
    const value = fields[key];
    if (typeof value === 'string') return ` ${value.length > 200 ? `${value.slice(0, 200)}…` : value}`;
  }
  return '';
}
