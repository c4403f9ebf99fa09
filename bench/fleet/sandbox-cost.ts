// What the sandbox costs, measured with real bubblewrap the way the worker opens it
// (temporal/src/activities/fleet.ts): the session copy read-write, a private HOME, a
// runtime folder, the mirror's objects read-only, no allowed hosts, and as root an
// unprivileged uid. Each iteration opens a sandbox, runs `/bin/sh -c true` and
// `git status` in it, and closes it; the same two commands are spawned directly
// beside it, so both sides see the same machine at the same moment.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { openSandbox, type Sandbox, SandboxUnavailableError } from '@parallax/sandbox';
import type { BenchMirror } from './baseline.ts';
import type { SandboxSamples } from './sandbox-figures.ts';
import { timeSessionSteps } from './sandbox-session.ts';

const run = promisify(execFile);

/** Above every session's uid (100 000 + a port below 65 536): the measurement never shares a uid with a session. */
const MEASUREMENT_UID = 170_000;
const ENV = { PATH: '/usr/bin:/bin', LANG: 'C.UTF-8' };

/** A copy of the mirror as the product makes one: an empty repository borrowing the mirror's objects, the branch at the base. */
async function makeSessionCopy(mirror: BenchMirror, dir: string): Promise<void> {
  await run('git', ['init', '--quiet', '--', dir]);
  await run('sh', ['-c', 'printf "%s\\n" "$1" > "$2/.git/objects/info/alternates"', 'sh', path.join(mirror.path, 'objects'), dir]);
  await run('git', ['checkout', '--quiet', '-B', 'parallax/sandbox-cost', mirror.base], { cwd: dir });
}

/** Spawn to exit (and, for a sandboxed command, until nothing it started is left: what runChecks and the agent runner wait for). */
async function timeCommand(start: () => { child: ChildProcess; settled?: () => Promise<void> }, what: string): Promise<number> {
  const started = performance.now();
  const { child, settled } = start();
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  child.stdout?.resume();
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  await settled?.();
  const elapsed = performance.now() - started;
  // A command that fails fast would make the sandbox look cheap.
  if (code !== 0) throw new Error(`${what} exited with ${code}: ${stderr.trim()}`);
  return elapsed;
}

function inSandbox(sandbox: Sandbox, file: string, args: string[], cwd: string) {
  return () => sandbox.spawn({ file, args, cwd, env: ENV });
}

function direct(file: string, args: string[], cwd: string) {
  return () => ({ child: spawn(file, args, { cwd, env: { ...ENV, HOME: cwd }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] }) });
}

export async function measureSandboxCost(options: {
  mirror: BenchMirror;
  workDir: string;
  iterations: number;
}): Promise<SandboxSamples | { unavailable: string }> {
  const dir = path.join(options.workDir, 'sandbox-cost');
  await mkdir(dir, { recursive: true });
  const sandboxCopy = path.join(dir, 'copy');
  const plainCopy = path.join(dir, 'plain-copy');
  await makeSessionCopy(options.mirror, sandboxCopy);
  await makeSessionCopy(options.mirror, plainCopy);
  const open = () =>
    openSandbox({
      mode: 'bubblewrap',
      workdir: sandboxCopy,
      homeDir: path.join(dir, 'home'),
      runtimeDir: path.join(dir, 'run'),
      readOnly: [path.join(options.mirror.path, 'objects')],
      allowedHosts: [],
      uid: process.getuid?.() === 0 ? MEASUREMENT_UID : undefined,
      protectedDirs: [path.join(options.workDir, 'worker-data')],
    });

  const samples: SandboxSamples = {
    firstOpenMs: 0,
    openMs: [],
    closeMs: [],
    sandboxedTrueMs: [],
    plainTrueMs: [],
    sandboxedGitStatusMs: [],
    plainGitStatusMs: [],
    sessionStepsMs: { sandboxedMs: [], unsandboxedMs: [] },
  };
  // The first open in a process also probes bubblewrap (once per worker): kept apart.
  let started = performance.now();
  try {
    const first = await open();
    samples.firstOpenMs = performance.now() - started;
    await first.close();
  } catch (err) {
    if (err instanceof SandboxUnavailableError) return { unavailable: err.message };
    throw err;
  }
  for (let k = 0; k < options.iterations; k++) {
    started = performance.now();
    const sandbox = await open();
    samples.openMs.push(performance.now() - started);
    samples.sandboxedTrueMs.push(await timeCommand(inSandbox(sandbox, '/bin/sh', ['-c', 'true'], sandboxCopy), 'sh -c true (sandboxed)'));
    samples.plainTrueMs.push(await timeCommand(direct('/bin/sh', ['-c', 'true'], plainCopy), 'sh -c true'));
    samples.sandboxedGitStatusMs.push(
      await timeCommand(inSandbox(sandbox, '/usr/bin/git', ['status', '--porcelain'], sandboxCopy), 'git status (sandboxed)'),
    );
    samples.plainGitStatusMs.push(await timeCommand(direct('/usr/bin/git', ['status', '--porcelain'], plainCopy), 'git status'));
    started = performance.now();
    await sandbox.close();
    samples.closeMs.push(performance.now() - started);
  }
  samples.sessionStepsMs = await timeSessionSteps({
    openSandbox: open,
    sandboxedWorktree: sandboxCopy,
    plainWorktree: plainCopy,
    iterations: options.iterations,
  });
  return samples;
}
