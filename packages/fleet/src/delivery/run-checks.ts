import type { Sandbox } from '@parallax/sandbox';
import { runSandboxedCommand } from './run-sandboxed-command.ts';

export interface ChecksResult {
  /** Null command: the repository has no test command, nothing to fail. */
  command: string | null;
  passed: boolean;
  exitCode: number | null;
  outputTail: string;
}

/**
 * Runs the repository's test command in the worktree, inside the session's sandbox, with
 * the session's environment (its ports and schema): it is the repository's code, as
 * hostile as the agent that just changed it. Output goes to `onOutput` as it comes; the
 * last 16 KiB are kept for the record. Aborting stops everything it started.
 */
export async function runChecks(options: {
  command: string | null;
  worktree: string;
  env: Record<string, string>;
  sandbox: Sandbox;
  signal: AbortSignal;
  onOutput: (text: string) => void;
  timeoutMs?: number;
}): Promise<ChecksResult> {
  const { command } = options;
  if (!command) return { command: null, passed: true, exitCode: null, outputTail: 'No test command configured for this repository.' };
  const run = await runSandboxedCommand({
    ...options,
    command,
    what: 'the test command',
    env: { ...options.env, CI: 'true' },
    timeoutMs: options.timeoutMs ?? 30 * 60_000,
  });
  return { command, passed: run.exitCode === 0, exitCode: run.exitCode, outputTail: run.outputTail };
}
