// The fair floor: what a session does, minus the product, as one plain `/bin/sh`
// pipeline per iteration. The session copy is made as the product makes it
// (packages/fleet/src/workspace/session-worktree.ts: `git init`, the mirror's objects
// as alternates, the branch checked out at the base commit) rather than with
// `git worktree add`, so that the floor pays for the same git work; then the script
// agent's work (write a file, sleep), the checks, commit, push to the bare origin,
// and the copy removed. Timed from spawning the shell to its exit.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { BenchMirror } from './baseline.ts';

const run = promisify(execFile);

/** $1 copy, $2 mirror objects, $3 base commit, $4 branch, $5 origin, $6 file the agent writes, $7 sleep in seconds, $8 index. */
export const FLOOR_SCRIPT = `set -e
git init --quiet -- "$1"
printf '%s\\n' "$2" > "$1/.git/objects/info/alternates"
cd "$1"
git checkout --quiet -B "$4" "$3"
mkdir -p "$(dirname "$6")"
printf 'session %s\\n' "$8" > "$6"
sleep "$7"
true
git add -A
git -c commit.gpgsign=false commit --no-verify --quiet -m "floor $8"
git push --quiet --no-verify "$5" "HEAD:refs/heads/$4"
cd /
rm -rf -- "$1"
`;

export async function timeFloorPipeline(options: {
  mirror: BenchMirror;
  originPath: string;
  workDir: string;
  iterations: number;
  sleepMs: number;
}): Promise<number[]> {
  const objects = path.join(options.mirror.path, 'objects');
  // The product commits as the agent with these variables too; the host's git config stays out of it.
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    GIT_AUTHOR_NAME: 'floor',
    GIT_AUTHOR_EMAIL: 'floor@parallax.invalid',
    GIT_COMMITTER_NAME: 'floor',
    GIT_COMMITTER_EMAIL: 'floor@parallax.invalid',
  };
  const timings: number[] = [];
  for (let k = 0; k < options.iterations; k++) {
    const args = [
      path.join(options.workDir, `floor-${k}`),
      objects,
      options.mirror.base,
      `floor/${k}`,
      options.originPath,
      `bench/floor-${k}.txt`,
      String(options.sleepMs / 1000),
      String(k),
    ];
    const started = performance.now();
    await run('/bin/sh', ['-c', FLOOR_SCRIPT, 'floor', ...args], { env });
    timings.push(performance.now() - started);
  }
  return timings;
}
