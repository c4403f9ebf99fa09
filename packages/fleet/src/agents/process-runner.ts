// Runs one agent CLI (or one recipe command) as a child in the worktree. The child leads
// its own process group, so a cancel reaches everything it started: SIGTERM to the group,
// SIGKILL after a grace period. Output goes to the session log line by line.
import { spawn } from 'node:child_process';
import { accessSync, constants as fsConstants, readdirSync, readFileSync, statSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { setTimeout as delay } from 'node:timers/promises';
import { AgentNotInstalledError } from './errors.ts';
import type { LogSink } from './log-sink.ts';

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
  const path = isAbsolute(spec.executable) ? spec.executable : resolveExecutable(spec.executable, spec.env);
  if (spec.signal.aborted) throw spec.signal.reason;
  const child = spawn(path, spec.args, {
    cwd: spec.cwd,
    env: spec.env as NodeJS.ProcessEnv, // Next.js declares NODE_ENV required on ProcessEnv
    detached: true,
    stdio: [spec.stdin ?? 'ignore', 'pipe', 'pipe'],
  });
  const { pid, stdout, stderr } = child;
  if (!stdout || !stderr) throw new Error('spawn gave no stdout/stderr pipes');
  const killGraceMs = spec.killGraceMs ?? 5_000;
  let isCancelled = false;
  let groupDown: Promise<void> | null = null;
  const takeGroupDown = () => {
    groupDown ??= pid === undefined ? Promise.resolve() : terminateGroup(pid, killGraceMs);
    return groupDown;
  };
  const onAbort = () => {
    isCancelled = true;
    child.stdin?.destroy();
    void takeGroupDown();
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
      // Whatever the agent left behind in its group (a dev server, a watcher) goes with it.
      await takeGroupDown();
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

/** SIGTERM to the whole group, SIGKILL to what is left after the grace period. */
async function terminateGroup(pgid: number, graceMs: number): Promise<void> {
  if (!signalGroup(pgid, 'SIGTERM')) return;
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    await delay(25);
    if (!hasLiveMembers(pgid)) return;
  }
  signalGroup(pgid, 'SIGKILL');
}

/**
 * Whether any process of the group still runs. Killed grandchildren are reparented to
 * PID 1 and, in a container whose init does not reap, stay zombies in the group for
 * long: kill(-pgid, 0) alone would hold every cancel for the whole grace period.
 */
function hasLiveMembers(pgid: number): boolean {
  if (!signalGroup(pgid, 0)) return false;
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return true; // no procfs: trust the signal
  }
  for (const entry of entries) {
    if (entry.charCodeAt(0) > 57) continue; // not a pid
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid pgrp …: comm may hold spaces and parentheses, so read after the last ')'.
      const [state, , group] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(group) === pgid && state !== 'Z') return true;
    } catch {}
  }
  return false;
}

/** False when no process of the group is left (or none we may signal). */
function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
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
