// OpenCode headless: `opencode run --format json`, one JSON event per line, each
// carrying the sessionID. Interventions go in by `opencode run --session <id>` after the run.
import { z } from 'zod';
import { parseAgentConfig } from '../errors.ts';
import { startAgentProcess } from '../process-runner.ts';
import type { Adapter, AgentResult, AgentRun } from '../types.ts';
import { type CliReport, parseJsonLine, resumeForInterventions, toAgentResult } from './headless-cli.ts';

export const ZOpenCodeConfig = z.object({
  model: z
    .string()
    .regex(/^[^/\s]+\/\S+$/, 'model is provider/model, e.g. anthropic/claude-sonnet-4-5')
    .optional(),
  agent: z.string().min(1).optional(),
});
export type TOpenCodeConfig = z.output<typeof ZOpenCodeConfig>;

const ZEvent = z.object({
  type: z.string(),
  sessionID: z.string().min(1).optional(),
  part: z
    .object({
      text: z.string().optional(),
      tool: z.string().optional(),
      reason: z.string().optional(),
      state: z.object({ status: z.string().optional(), title: z.string().optional(), error: z.string().optional() }).optional(),
    })
    .optional(),
  error: z.object({ name: z.string().optional(), data: z.object({ message: z.string().optional() }).optional() }).optional(),
});

export const openCodeAdapter: Adapter<TOpenCodeConfig> = {
  executable: 'opencode',
  parseConfig: ({ config }) => parseAgentConfig('OPENCODE', ZOpenCodeConfig, config ?? {}),
  async run(run) {
    const first = await runOpenCodeOnce(run, run.prompt, run.resumeRef);
    return resumeForInterventions('opencode', run, first, (sessionId, message) => runOpenCodeOnce(run, message, sessionId));
  },
};

export function buildOpenCodeArgs(config: TOpenCodeConfig, prompt: string, sessionId?: string): string[] {
  const args = ['run', '--format', 'json'];
  if (config.model) args.push('-m', config.model);
  if (config.agent) args.push('--agent', config.agent);
  if (sessionId) args.push('--session', sessionId);
  args.push('--', prompt);
  return args;
}

async function runOpenCodeOnce(run: AgentRun<TOpenCodeConfig>, prompt: string, sessionId?: string): Promise<AgentResult> {
  const report: CliReport = sessionId ? { sessionRef: sessionId } : {};
  const readLine = (line: string): string | null => {
    const parsed = ZEvent.safeParse(parseJsonLine(line));
    if (!parsed.success) return line;
    const event = parsed.data;
    if (event.sessionID && report.sessionRef !== event.sessionID) {
      report.sessionRef = event.sessionID;
      run.reportSessionRef(event.sessionID);
    }
    const part = event.part;
    switch (event.type) {
      case 'text':
        if (part?.text?.trim()) report.summary = part.text.trim();
        return part?.text?.trim() || null;
      case 'tool_use':
        return `→ ${part?.tool ?? 'tool'}${part?.state?.title ? ` ${part.state.title}` : ''}${part?.state?.status === 'error' ? ` failed: ${part.state.error ?? ''}` : ''}`;
      case 'error': {
        const message = event.error?.data?.message ?? event.error?.name ?? 'unknown error';
        report.failure = `opencode: ${message}`;
        return `[${report.failure}]`;
      }
      default:
        return null; // step_start, step_finish, reasoning, done, future events
    }
  };
  const proc = startAgentProcess({
    executable: 'opencode',
    args: buildOpenCodeArgs(run.config, prompt, sessionId),
    cwd: run.worktree,
    env: run.env,
    log: run.log,
    signal: run.signal,
    killGraceMs: run.killGraceMs,
    readStdoutLine: readLine,
  });
  return toAgentResult('opencode', await proc.exited, report, run, 0);
}
