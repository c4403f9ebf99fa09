import type { Sandbox } from '@parallax/sandbox';
import { buildAgentEnv } from '../agents/agent-env.ts';

export interface SandboxedCommandResult {
  /** Null when it was stopped before it exited by itself (a timeout). */
  exitCode: number | null;
  timedOut: boolean;
  /** The last 16 KiB of stdout and stderr together. */
  outputTail: string;
}

const TAIL_BYTES = 16 * 1024;

/**
 * Runs one of the repository's commands (its checks, its setup, its teardown) by
 * `/bin/sh -c` in the worktree, inside the session's sandbox, with the session's
 * environment: it is the repository's code, as hostile as the agent. Output goes to
 * `onOutput` as it comes. A timeout or an abort stops everything it started; an abort
 * rejects with the signal's reason, a timeout resolves with `timedOut`.
 */
export function runSandboxedCommand(options: {
  command: string;
  /** What the command is, for the timeout's message ("the test command"). */
  what: string;
  worktree: string;
  env: Record<string, string>;
  sandbox: Sandbox;
  signal: AbortSignal;
  onOutput: (text: string) => void;
  timeoutMs: number;
}): Promise<SandboxedCommandResult> {
  return new Promise((resolve, reject) => {
    if (options.signal.aborted) return reject(options.signal.reason ?? new Error(`${options.what} cancelled`));
    const proc = options.sandbox.spawn({
      file: '/bin/sh',
      args: ['-c', options.command],
      cwd: options.worktree,
      env: buildAgentEnv(process.env, options.env),
    });
    const { child } = proc;
    let tail = '';
    let timedOut = false;
    const take = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      options.onOutput(text);
      tail = (tail + text).slice(-TAIL_BYTES);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    const kill = () => void proc.stop(0).catch(() => {}); // 'close' still comes, and settled() after it
    const timer = setTimeout(() => {
      timedOut = true;
      const note = `\n[parallax] ${options.what} ran longer than ${Math.round(options.timeoutMs / 1000)} s and was stopped\n`;
      options.onOutput(note);
      tail = (tail + note).slice(-TAIL_BYTES);
      kill();
    }, options.timeoutMs);
    options.signal.addEventListener('abort', kill, { once: true });
    child.on('error', (err) => {
      clearTimeout(timer);
      options.signal.removeEventListener('abort', kill);
      reject(err);
    });
    child.on('close', async (code) => {
      clearTimeout(timer);
      options.signal.removeEventListener('abort', kill);
      await proc.settled().catch(() => {});
      if (options.signal.aborted) return reject(options.signal.reason ?? new Error(`${options.what} cancelled`));
      resolve({ exitCode: timedOut ? null : code, timedOut, outputTail: tail });
    });
  });
}
