// Runs git for the forges. Every call gets a clean environment (a GIT_DIR inherited
// from a hook would point git at the wrong repository), never prompts for credentials,
// and redacts the secrets it was given from anything it reports.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { WORKER_GIT_ARGS, WORKER_GIT_ENV } from '../workspace/git.ts';
import { GitCommandError } from './errors.ts';

export interface GitOptions {
  cwd: string;
  /** Extra environment, e.g. credentials passed as GIT_CONFIG_* (never on the command line). */
  env?: Record<string, string>;
  /** Strings that must never appear in an error message. */
  secrets?: string[];
}

export interface GitResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

const INHERITED_REPOSITORY_VARIABLES = [
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_INDEX_FILE',
  'GIT_OBJECT_DIRECTORY',
  'GIT_ALTERNATE_OBJECT_DIRECTORIES',
  'GIT_COMMON_DIR',
  'GIT_NAMESPACE',
  'GIT_PREFIX',
];

/** Identity and settings for commits the forge itself makes (merge commits). */
export const FORGE_COMMITTER = ['-c', 'user.name=Parallax', '-c', 'user.email=forge@parallax.invalid', '-c', 'commit.gpgsign=false'];

/** Runs git; a non-zero exit is returned, not thrown. */
export function tryGit(args: string[], options: GitOptions): Promise<GitResult> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...WORKER_GIT_ENV,
    GIT_CEILING_DIRECTORIES: path.dirname(path.resolve(options.cwd)),
    GIT_TERMINAL_PROMPT: '0',
    GIT_ASKPASS: 'true',
    LC_ALL: 'C',
    ...options.env,
  };
  for (const name of INHERITED_REPOSITORY_VARIABLES) delete env[name];
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      [...WORKER_GIT_ARGS, ...args],
      { cwd: options.cwd, env, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') {
          reject(new Error(`could not run git: ${redact(error.message, options.secrets)}`));
          return;
        }
        resolve({ exitCode: error ? Number(error.code) : 0, stdout, stderr: redact(stderr, options.secrets) });
      },
    );
  });
}

/** Runs git and returns its stdout; a non-zero exit throws GitCommandError. */
export async function git(args: string[], options: GitOptions): Promise<string> {
  const result = await tryGit(args, options);
  if (result.exitCode !== 0) throw new GitCommandError(redactArgs(args, options.secrets), result.exitCode, result.stderr);
  return result.stdout;
}

function redact(text: string, secrets: string[] = []): string {
  let out = text;
  for (const secret of secrets) if (secret) out = out.split(secret).join('***');
  return out;
}

function redactArgs(args: string[], secrets?: string[]): string[] {
  return args.map((a) => redact(a, secrets));
}
