// Real git, run as a child process. Never prompts (a missing credential fails fast
// instead of hanging a worker) and speaks English so stderr reads the same everywhere.
import { execFile } from 'node:child_process';
import path from 'node:path';

export class GitError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly cwd: string,
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(redact(`git ${args.join(' ')} failed (${exitCode === null ? 'not run' : `exit ${exitCode}`}) in ${cwd}: ${stderr.trim()}`));
    this.name = 'GitError';
  }
}

const gitEnv = (cwd: string): NodeJS.ProcessEnv => ({
  ...process.env,
  ...WORKER_GIT_ENV,
  // Never climb out of the folder asked about into a repository that encloses it (the product's own checkout).
  GIT_CEILING_DIRECTORIES: path.dirname(path.resolve(cwd)),
  GIT_TERMINAL_PROMPT: '0',
  // An unknown host key or a passphrase would otherwise wait on a terminal.
  GIT_SSH_COMMAND: process.env.GIT_SSH_COMMAND ?? 'ssh -o BatchMode=yes',
  LC_ALL: 'C',
});

/**
 * How the worker runs git in folders an agent has had its hands on: no host or user
 * config, and command-line settings (which no repository config overrides) that turn
 * off everything a repository could make git execute. A repository URL like
 * ext::<command> would run that command: never. The session's files belong to its
 * sandbox user, so git's ownership check is answered here.
 */
// Replace refs would let the diff the worker records differ from what it pushes.
export const WORKER_GIT_ENV = { GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_NO_REPLACE_OBJECTS: '1' } as const;
export const WORKER_GIT_ARGS = [
  '-c',
  'core.hooksPath=/dev/null',
  '-c',
  'core.fsmonitor=false',
  '-c',
  'safe.directory=*',
  '-c',
  'protocol.ext.allow=never',
] as const;

/** Runs `git args` in `cwd` and returns its stdout, trimmed of the final newline. */
export function git(args: readonly string[], options: { cwd: string }): Promise<string> {
  return new Promise((resolve, reject) => {
    const argv = [...WORKER_GIT_ARGS, ...args];
    execFile('git', argv, { cwd: options.cwd, env: gitEnv(options.cwd), maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (!error) return resolve(stdout.replace(/\n$/, ''));
      const exitCode = typeof error.code === 'number' ? error.code : null;
      reject(new GitError(args, options.cwd, exitCode, stderr || error.message));
    });
  });
}

/** Like `git`, but a failure is an answer (null), not an error: for questions such as "is this a worktree?". */
export async function tryGit(args: readonly string[], options: { cwd: string }): Promise<string | null> {
  try {
    return await git(args, options);
  } catch (error) {
    if (error instanceof GitError) return null;
    throw error;
  }
}

/** Hides the password of `https://user:token@host/…` URLs, which end up in git's arguments and messages. */
export function redact(text: string): string {
  return text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*):[^/\s@]*@/gi, '$1:***@');
}
