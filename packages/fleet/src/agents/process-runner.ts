// Runs one agent CLI (or one recipe command) in the session's sandbox, in the worktree.
// The sandbox owns containment: a cancel stops everything the command started, however
// it detached, and an exit waits until nothing of it is left. Output goes to the
// session log line by line. No process starts outside a sandbox: runAgent opens the
// session's (or the operator's explicit unsandboxed mode) around every adapter.
import { AsyncLocalStorage } from 'node:async_hooks';
import { accessSync, constants as fsConstants, statSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import type { Sandbox } from '@parallax/sandbox';
import { AgentNotInstalledError } from './errors.ts';
import type { LogSink } from './log-sink.ts';

const sandboxes = new AsyncLocalStorage<Sandbox>();

/** Runs `work` with every agent process it starts inside `sandbox`. */
export function inSandbox<T>(sandbox: Sandbox, work: () => T): T {
  return sandboxes.run(sandbox, work);
}

export interface AgentProcessSpec {
  /** A name looked up on the env's PATH, or a path. */
  executable: string;
  args: string[];
  cwd: string;
  /** The child's complete environment. */
  env: Record<string, string>;
  stdin?: 'pipe' | 'ignore';
  log: LogSink;
  signal: AbortSignal;
  /** Reads one stdout line and returns what the log shows for it (null: nothing). Default: the line. */
  readStdoutLine?: (line: string) => string | null;
  killGraceMs?: number;
}

export interface ProcessExit {
  /** 128 + the signal number when a signal ended it, as a shell would report. */
  exitCode: number;
  signal: NodeJS.Signals | null;
  /** The run's AbortSignal fired and the process group was taken down. */
  isCancelled: boolean;
}

export interface AgentProcess {
  readonly pid: number;
  /** Writes to the child's stdin; false when it no longer reads it. */
  send(text: string): Promise<boolean>;
  /** Closes stdin: for a stream-json CLI, "no more messages". */
  endInput(): void;
  readonly exited: Promise<ProcessExit>;
}

const MAX_LINE_CHARS = 4 * 1024 * 1024;
// Output still buffered in the pipes after the exit; a process that escaped the group
// (setsid) and holds them open is not waited for longer than this.
const STREAM_DRAIN_MS = 2_000;

/** Where `executable` resolves on the env's PATH; throws AgentNotInstalledError instead of spawning. */
export function resolveExecutable(executable: string, env: Record<string, string>): string {
  const candidates = executable.includes('/')
    ? [resolve(executable)]
    : (env.PATH ?? '')
        .split(delimiter)
        .filter(Boolean)
        .map((dir) => join(dir, executable));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, fsConstants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {}
  }
  throw new AgentNotInstalledError(executable);
}

export function startAgentProcess(spec: AgentProcessSpec): AgentProcess {
  const sandbox = sandboxes.getStore();
  if (!sandbox) throw new Error('refusing to start an agent process outside a sandbox (run it through runAgent / inSandbox)');
  const path = isAbsolute(spec.executable) ? spec.executable : resolveExecutable(spec.executable, spec.env);
  if (spec.signal.aborted) throw spec.signal.reason;
  const proc = sandbox.spawn({ file: path, args: spec.args, cwd: spec.cwd, env: spec.env, stdin: spec.stdin ?? 'ignore' });
  const { child } = proc;
  const { pid, stdout, stderr } = child;
  const killGraceMs = spec.killGraceMs ?? 5_000;
  let isCancelled = false;
  let stopped: Promise<void> | null = null;
  const stopAll = () => {
    stopped ??= proc.stop(killGraceMs);
    return stopped;
  };
  const onAbort = () => {
    isCancelled = true;
    child.stdin?.destroy();
    stopAll().catch(() => {}); // the exit handler awaits it and says what went wrong
  };
  spec.signal.addEventListener('abort', onAbort, { once: true });

  const stdoutDone = pipeLines(stdout, (line) => {
    let shown: string | null = line;
    try {
      if (spec.readStdoutLine) shown = spec.readStdoutLine(line);
    } catch {
      // An output format we did not foresee must not take the worker down: show it raw.
    }
    if (shown !== null) spec.log.write(`${shown}\n`);
  });
  const stderrDone = pipeLines(stderr, (line) => spec.log.write(`${line}\n`));
  child.stdin?.on('error', () => {}); // EPIPE when the agent exits first: send() reports it

  const exited = new Promise<ProcessExit>((resolveExit, rejectExit) => {
    child.once('error', (err) => {
      spec.signal.removeEventListener('abort', onAbort);
      rejectExit(err);
    });
    child.once('exit', async (code, signal) => {
      spec.signal.removeEventListener('abort', onAbort);
      // Whatever the agent left behind (a dev server, a watcher) goes with it.
      try {
        await (isCancelled ? stopAll() : proc.settled());
      } catch (error) {
        spec.log.write(`[parallax] ${error instanceof Error ? error.message : String(error)}\n`);
      }
      let drainTimer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.all([stdoutDone, stderrDone]), new Promise((done) => (drainTimer = setTimeout(done, STREAM_DRAIN_MS)))]);
      clearTimeout(drainTimer);
      stdout.destroy();
      stderr.destroy();
      resolveExit({ exitCode: code ?? 128 + (signal ? (osConstants.signals[signal] ?? 0) : 0), signal, isCancelled });
    });
  });

  return {
    pid: pid ?? -1,
    send(text) {
      const stdin = child.stdin;
      if (!stdin || stdin.destroyed || stdin.writableEnded) return Promise.resolve(false);
      return new Promise((done) => stdin.write(text, (err) => done(!err)));
    },
    endInput() {
      if (child.stdin && !child.stdin.writableEnded) child.stdin.end();
    },
    exited,
  };
}

function pipeLines(stream: NodeJS.ReadableStream, onLine: (line: string) => void): Promise<void> {
  const decoder = new StringDecoder('utf8');
  let partial = '';
  const take = (text: string) => {
    partial += text;
    let newline = partial.indexOf('\n');
    while (newline >= 0) {
      onLine(partial.slice(0, newline).replace(/\r$/, ''));
      partial = partial.slice(newline + 1);
      newline = partial.indexOf('\n');
    }
    if (partial.length > MAX_LINE_CHARS) {
      onLine(partial);
      partial = '';
    }
  };
  return new Promise((done) => {
    stream.on('data', (chunk: Buffer) => take(decoder.write(chunk)));
    stream.once('close', () => {
      take(decoder.end());
      if (partial) onLine(partial);
      partial = '';
      done();
    });
  });
}
