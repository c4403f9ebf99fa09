// The old floor, kept beside the fair one (floor.ts) for comparison with earlier runs:
// a bare `git worktree add` on a local mirror of the same origin, a process spawned in
// it, and `git worktree remove`, timed one after another on the same machine in the
// same run.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface BenchMirror {
  /** A `git clone --mirror` of the origin, as the product's mirror is. */
  path: string;
  /** The commit the sessions start from: the origin's main. */
  base: string;
}

/** The floor's and the sandbox measurement's own mirror: the product's is the worker's and is made by its first session. */
export async function createBenchMirror(originPath: string, workDir: string): Promise<BenchMirror> {
  const mirror = path.join(workDir, 'bench-mirror.git');
  await run('git', ['clone', '--mirror', '--quiet', originPath, mirror]);
  const base = (await run('git', ['rev-parse', 'refs/heads/main'], { cwd: mirror })).stdout.trim();
  return { path: mirror, base };
}

export async function timeBareWorktrees(options: { mirror: BenchMirror; workDir: string; iterations: number }): Promise<number[]> {
  const { mirror } = options;
  const timings: number[] = [];
  for (let k = 0; k < options.iterations; k++) {
    const dir = path.join(options.workDir, `baseline-${k}`);
    const started = performance.now();
    await run('git', ['worktree', 'add', '--quiet', '-b', `baseline/${k}`, dir, mirror.base], { cwd: mirror.path });
    await run('/bin/sh', ['-c', 'true'], { cwd: dir });
    await run('git', ['worktree', 'remove', '--force', dir], { cwd: mirror.path });
    timings.push(performance.now() - started);
  }
  return timings;
}
