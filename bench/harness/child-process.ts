// A long-running child (the Temporal dev server, the worker) in its own process group,
// so that Ctrl-C in the terminal reaches only the benchmark, which then stops the
// child and everything it spawned, in order. Its output is kept, not shown, unless
// it fails.
import { type ChildProcess, spawn } from 'node:child_process';
import { onTeardown } from './teardown.ts';

export interface Supervised {
  name: string;
  child: ChildProcess;
  pid: number;
  /** Settles when the process exits, with its code or signal. */
  exited: Promise<string>;
  /** The last lines it printed, for an error message. */
  tail(lines?: number): string;
  /** Resolves on the first output line that matches. */
  waitForLine(pattern: RegExp, timeoutMs: number): Promise<string>;
  /** SIGTERM to the group, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

export function startSupervised(
  name: string,
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; graceMs?: number },
): Supervised {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const listeners = new Set<(line: string) => void>();
  for (const stream of [child.stdout, child.stderr]) {
    let buffer = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      buffer += chunk;
      const complete = buffer.split('\n');
      buffer = complete.pop() ?? '';
      for (const line of complete) {
        lines.push(line);
        if (lines.length > 400) lines.shift();
        for (const listener of listeners) listener(line);
      }
    });
  }
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => resolve(signal ?? `code ${code}`));
    child.once('error', (err) => resolve(err.message));
  });
  const isRunning = () => child.exitCode === null && child.signalCode === null && child.pid !== undefined;
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      if (child.pid) process.kill(-child.pid, signal);
    } catch {}
  };

  const supervised: Supervised = {
    name,
    child,
    pid: child.pid ?? -1,
    exited,
    tail: (n = 40) => lines.slice(-n).join('\n'),
    waitForLine(pattern, timeoutMs) {
      const existing = lines.find((l) => pattern.test(l));
      if (existing) return Promise.resolve(existing);
      return new Promise((resolve, reject) => {
        const done = (fn: () => void) => {
          clearTimeout(timer);
          listeners.delete(listener);
          fn();
        };
        const listener = (line: string) => pattern.test(line) && done(() => resolve(line));
        const timer = setTimeout(
          () => done(() => reject(new Error(`${name} printed no ${pattern} within ${timeoutMs / 1000} s`))),
          timeoutMs,
        );
        listeners.add(listener);
        void exited.then((how) => done(() => reject(new Error(`${name} exited (${how}):\n${supervised.tail()}`))));
      });
    },
    async stop(graceMs = options.graceMs ?? 10_000) {
      if (isRunning()) {
        signalGroup('SIGTERM');
        const timer = new Promise<'late'>((r) => setTimeout(() => r('late'), graceMs).unref());
        if ((await Promise.race([exited, timer])) === 'late') {
          console.error(`[bench] ${name} did not stop within ${graceMs / 1000} s; killing it`);
        }
      }
      // Whatever it spawned and left behind in its group goes too.
      signalGroup('SIGKILL');
    },
  };
  onTeardown(
    `stop ${name}`,
    () => supervised.stop(),
    () => signalGroup('SIGKILL'),
  );
  return supervised;
}
