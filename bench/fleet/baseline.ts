// The floor a session's isolation cannot go under: a bare `git worktree add` on a local
// mirror of the same origin, a process spawned in it, and `git worktree remove`,
// timed one after another on the same machine in the same run.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export async function timeBareWorktrees(options: { originPath: string; workDir: string; iterations: number }): Promise<number[]> {
  const mirror = path.join(options.workDir, 'baseline-mirror.git');
  await run('git', ['clone', '--mirror', '--quiet', options.originPath, mirror]);
  const base = (await run('git', ['rev-parse', 'refs/heads/main'], { cwd: mirror })).stdout.trim();
  const timings: number[] = [];
  for (let k = 0; k < options.iterations; k++) {
    const dir = path.join(options.workDir, `baseline-${k}`);
    const started = performance.now();
    await run('git', ['worktree', 'add', '--quiet', '-b', `baseline/${k}`, dir, base], { cwd: mirror });
    await run('/bin/sh', ['-c', 'true'], { cwd: dir });
    await run('git', ['worktree', 'remove', '--force', dir], { cwd: mirror });
    timings.push(performance.now() - started);
  }
  return timings;
}
