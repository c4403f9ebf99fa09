// The worktree's .env.local: how the code under work finds its ports and database.
// It is the session's, never the repository's, so git is told to ignore it.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

export const ENV_FILE = '.env.local';

export function sessionEnv(session: { id: string; ports: { start: number; end: number }; databaseUrl: string | null }) {
  const env: Record<string, string> = {
    PORT: String(session.ports.start),
    PARALLAX_PORT_RANGE_START: String(session.ports.start),
    PARALLAX_PORT_RANGE_END: String(session.ports.end),
    PARALLAX_SESSION_ID: session.id,
  };
  if (session.databaseUrl) env.DATABASE_URL = session.databaseUrl;
  return env;
}

/** Writes `env` to the worktree's .env.local and keeps the file out of its commits. */
export async function writeEnvFile(worktreePath: string, env: Record<string, string>): Promise<void> {
  const lines = Object.entries(env).map(([key, value]) => {
    // Every value is a number, an id or a serialized URL; none needs quoting, and a
    // newline would forge another variable.
    if (/[\r\n]/.test(value)) throw new Error(`${key} must be one line`);
    return `${key}=${value}\n`;
  });
  await writeNew(path.join(worktreePath, ENV_FILE), `# Written by Parallax for this session; not committed.\n${lines.join('')}`);
  await excludeFromCommits(worktreePath, ENV_FILE);
}

/** Adds `pattern` to the exclude file of the session's repository. */
export async function excludeFromCommits(worktreePath: string, pattern: string): Promise<void> {
  const excludeFile = path.join(worktreePath, '.git', 'info', 'exclude');
  const current = await readFile(excludeFile, 'utf8').catch(() => '');
  if (current.split('\n').some((line) => line.trim() === `/${pattern}` || line.trim() === pattern)) return;
  await mkdir(path.dirname(excludeFile), { recursive: true });
  await writeNew(excludeFile, `${current}${current === '' || current.endsWith('\n') ? '' : '\n'}/${pattern}\n`);
}

/**
 * Replaces the file rather than writing through it: after an agent has run, the name
 * may be a symlink it planted, and the worker writing through it would write anywhere.
 */
async function writeNew(file: string, content: string): Promise<void> {
  await rm(file, { force: true, recursive: true });
  await writeFile(file, content, { flag: 'wx' });
}
