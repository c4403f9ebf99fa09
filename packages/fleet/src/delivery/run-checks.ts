import type { Sandbox } from '@parallax/sandbox';
import { buildAgentEnv } from '../agents/agent-env.ts';

export interface ChecksResult {
  /** Null command: the repository has no test command, nothing to fail. */
  command: string | null;
  passed: boolean;
  exitCode: number | null;
  outputTail: string;
}

const TAIL_BYTES = 16 * 1024;

/**
 * Runs the repository's test command in the worktree, inside the session's sandbox, with
 * the session's environment (its ports and schema): it is the repository's code, as
 * hostile as the agent that just changed it. Output goes to `onOutput` as it comes; the
 * last 16 KiB are kept for the record. Aborting stops everything it started.
 */
export function runChecks(options: {
  command: string | null;
  worktree: string;
  env: Record<string, string>;
  sandbox: Sandbox;
  signal: AbortSignal;
  onOutput: (text: string) => void;
  timeoutMs?: number;
}): Promise<ChecksResult> {
  const { command } = options;
  if (!command)
    return Promise.resolve({ command: null, passed: true, exitCode: null, outputTail: 'No test command configured for this repository.' });
  return new Promise((resolve, reject) => {
    const proc = options.sandbox.spawn({
      file: '/bin/sh',
      args: ['-c', command],
      cwd: options.worktree,
      env: buildAgentEnv(process.env, { ...options.env, CI: 'true' }),
    });
    const { child } = proc;
    let tail = '';
    const take = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      options.onOutput(text);
      tail = (tail + text).slice(-TAIL_BYTES);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    const kill = () => void proc.stop(0);
    const timer = setTimeout(
      () => {
        tail += `\n[parallax] the test command ran longer than ${Math.round((options.timeoutMs ?? 0) / 1000)} s and was stopped\n`;
        kill();
      },
      options.timeoutMs ?? 30 * 60_000,
    );
    options.signal.addEventListener('abort', kill, { once: true });
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', async (code) => {
      clearTimeout(timer);
      options.signal.removeEventListener('abort', kill);
      await proc.settled().catch(() => {});
      if (options.signal.aborted) return reject(options.signal.reason ?? new Error('checks cancelled'));
      resolve({ command, passed: code === 0, exitCode: code, outputTail: tail });
    });
  });
}
