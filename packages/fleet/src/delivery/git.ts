import { execFile } from 'node:child_process';

/** Runs git and returns stdout; failures carry git's own stderr. */
export function git(args: string[], cwd: string, env: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      args,
      { cwd, env: { ...process.env, GIT_TERMINAL_PROMPT: '0', ...env }, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`git ${args[0]} failed: ${(stderr || err.message).trim()}`));
        else resolve(stdout);
      },
    );
  });
}
