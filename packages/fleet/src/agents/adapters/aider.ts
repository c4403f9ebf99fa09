// Aider headless: one message, edits applied, exit. Plain text out, no session to resume,
// so an intervention cannot reach it. Aider's own files (chat and input history) go to a
// temporary directory, not into the worktree the PR is made from; the one it always puts
// in the repository root (its repo map's tags cache) is removed after the run.
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { parseAgentConfig } from '../errors.ts';
import { startAgentProcess } from '../process-runner.ts';
import type { Adapter } from '../types.ts';
import { toAgentResult } from './headless-cli.ts';

export const ZAiderConfig = z.object({
  model: z.string().min(1).optional(),
});
export type TAiderConfig = z.output<typeof ZAiderConfig>;

export const aiderAdapter: Adapter<TAiderConfig> = {
  executable: 'aider',
  parseConfig: ({ config }) => parseAgentConfig('AIDER', ZAiderConfig, config ?? {}),
  async run(run) {
    const scratch = await mkdtemp(join(tmpdir(), 'parallax-aider-'));
    const cachesBefore = await tagsCaches(run.worktree);
    try {
      // From a file, a prompt that starts with a dash is not read as an option.
      const messageFile = join(scratch, 'message.md');
      await writeFile(messageFile, run.prompt);
      const proc = startAgentProcess({
        executable: 'aider',
        args: buildAiderArgs(run.config, messageFile, scratch),
        cwd: run.worktree,
        env: run.env,
        log: run.log,
        signal: run.signal,
        killGraceMs: run.killGraceMs,
      });
      const exit = await proc.exited;
      return toAgentResult('aider', exit, {}, run, 0);
    } finally {
      await rm(scratch, { recursive: true, force: true });
      // Not configurable in aider 0.86 (`.aider.tags.cache.v4` under the root), and with
      // --no-gitignore nothing keeps it out of the session's commit.
      for (const name of await tagsCaches(run.worktree)) {
        if (!cachesBefore.includes(name)) await rm(join(run.worktree, name), { recursive: true, force: true });
      }
    }
  },
};

async function tagsCaches(worktree: string): Promise<string[]> {
  const names = await readdir(worktree).catch(() => []);
  return names.filter((name) => /^\.aider\.tags\.cache\.v\d+$/.test(name));
}

export function buildAiderArgs(config: TAiderConfig, messageFile: string, scratch: string): string[] {
  const args = [
    '--message-file',
    messageFile,
    '--yes-always',
    // Parallax commits the session's work itself, with the agent as author.
    '--no-auto-commits',
    '--no-dirty-commits',
    '--no-stream',
    '--no-pretty',
    '--no-check-update',
    '--analytics-disable',
    // Would otherwise add .aider* to the repository's .gitignore: a change in the PR.
    '--no-gitignore',
    '--chat-history-file',
    join(scratch, 'chat.history.md'),
    '--input-history-file',
    join(scratch, 'input.history'),
  ];
  if (config.model) args.push('--model', config.model);
  return args;
}
