// Real git, run as a child process. Never prompts (a missing credential fails fast
// instead of hanging a worker) and speaks English so stderr reads the same everywhere.
import { execFile } from 'node:child_process';

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

const gitEnv = (): NodeJS.ProcessEnv => ({
  ...process.env,
  GIT_TERMINAL_PROMPT: '0',
  // An unknown host key or a passphrase would otherwise wait on a terminal.
  GIT_SSH_COMMAND: process.env.GIT_SSH_COMMAND ?? 'ssh -o BatchMode=yes',
  // A repository URL like ext::<command> would run that command: never, whatever
  // the host's git config says.
  GIT_CONFIG_COUNT: '1',
  GIT_CONFIG_KEY_0: 'protocol.ext.allow',
  GIT_CONFIG_VALUE_0: 'never',
  LC_ALL: 'C',
});

/** Runs `git args` in `cwd` and returns its stdout, trimmed of the final newline. */
export function git(args: readonly string[], options: { cwd: string }): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('git', args, { cwd: options.cwd, env: gitEnv(), maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
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
