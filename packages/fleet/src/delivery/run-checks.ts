import { spawn } from 'node:child_process';

export interface ChecksResult {
  /** Null command: the repository has no test command, nothing to fail. */
  command: string | null;
  passed: boolean;
  exitCode: number | null;
  outputTail: string;
}

const TAIL_BYTES = 16 * 1024;

/**
 * Runs the repository's test command in the worktree with the session's environment
 * (its ports and schema). Output goes to `onOutput` as it comes; the last 16 KiB are
 * kept for the record. Aborting kills the whole process group.
 */
export function runChecks(options: {
  command: string | null;
  worktree: string;
  env: Record<string, string>;
  signal: AbortSignal;
  onOutput: (text: string) => void;
  timeoutMs?: number;
}): Promise<ChecksResult> {
  const { command } = options;
  if (!command)
    return Promise.resolve({ command: null, passed: true, exitCode: null, outputTail: 'No test command configured for this repository.' });
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', command], {
      cwd: options.worktree,
      env: { ...process.env, ...options.env, CI: 'true' },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let tail = '';
    const take = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      options.onOutput(text);
      tail = (tail + text).slice(-TAIL_BYTES);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    const kill = () => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {}
    };
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
    child.on('close', (code) => {
      clearTimeout(timer);
      options.signal.removeEventListener('abort', kill);
      if (options.signal.aborted) return reject(options.signal.reason ?? new Error('checks cancelled'));
      resolve({ command, passed: code === 0, exitCode: code, outputTail: tail });
    });
  });
}
