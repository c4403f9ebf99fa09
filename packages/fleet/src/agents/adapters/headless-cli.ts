// How Parallax drives a headless agent CLI, whichever it is: read its JSON lines,
// turn its exit into an AgentResult, and hand interventions over by resuming its
// session after the run (for CLIs that cannot take a message while they work).
import type { ProcessExit } from '../process-runner.ts';
import type { AgentResult, AgentRun } from '../types.ts';

/** The JSON object on this line, or undefined for a line that is not one (a banner, a warning). */
export function parseJsonLine(line: string): unknown {
  const trimmed = line.trim();
  if (!trimmed.startsWith('{')) return undefined;
  try {
    return JSON.parse(trimmed);
  } catch {
    return undefined;
  }
}

/** What the CLI said about its run, read from its output. */
export interface CliReport {
  sessionRef?: string;
  summary?: string;
  /** Set when the CLI itself reported a failure (an error event, an error result). */
  failure?: string;
  /** What the CLI reported the run cost, in USD (Claude Code's total_cost_usd). */
  costUsd?: number;
}

export function toAgentResult(name: string, exit: ProcessExit, report: CliReport, run: AgentRun<unknown>, delivered: number): AgentResult {
  const ok = exit.exitCode === 0 && report.failure === undefined;
  const result: AgentResult = { exitCode: exit.exitCode, ok, interventionsDelivered: delivered };
  if (exit.signal && !exit.isCancelled) result.signal = exit.signal;
  const sessionRef = report.sessionRef ?? run.resumeRef;
  if (sessionRef) result.agentSessionRef = sessionRef;
  if (report.summary) result.summary = report.summary;
  if (report.costUsd !== undefined) result.costUsd = report.costUsd;
  if (!ok) {
    const how = exit.signal ? `${name} was ended by ${exit.signal}` : `${name} exited with code ${exit.exitCode}`;
    result.failure = report.failure ?? `${how}\n${run.log.tail(10)}`.trimEnd();
  }
  return result;
}

/**
 * After the main run, hands each queued intervention to the agent by resuming its
 * session with the message, one resume per message, until none is left. A failed main
 * run is resumed too (the correction may be what it needed); a failed resume stops the
 * hand-over, and what was left is logged as not delivered.
 */
export async function resumeForInterventions(
  name: string,
  run: AgentRun<unknown>,
  first: AgentResult,
  resume: (sessionRef: string, message: string) => Promise<AgentResult>,
): Promise<AgentResult> {
  let last = first;
  let delivered = first.interventionsDelivered;
  let isResumable = true;
  for (let batch = run.interventions.drain(); batch.length > 0; batch = run.interventions.drain()) {
    for (const [index, message] of batch.entries()) {
      const sessionRef = last.agentSessionRef;
      if (run.signal.aborted || !sessionRef || !isResumable) {
        const why = run.signal.aborted
          ? 'the run was cancelled'
          : sessionRef
            ? `resuming ${name} failed`
            : `${name} reported no session to resume`;
        run.log.write(`[parallax] ${batch.length - index} intervention(s) not delivered: ${why}\n`);
        return { ...last, interventionsDelivered: delivered };
      }
      run.log.write(`[parallax] handing an intervention to ${name} (resuming ${sessionRef})\n`);
      last = { agentSessionRef: sessionRef, ...(await resume(sessionRef, message)) };
      if (last.ok) delivered++;
      else isResumable = false;
    }
  }
  return { ...last, interventionsDelivered: delivered };
}
