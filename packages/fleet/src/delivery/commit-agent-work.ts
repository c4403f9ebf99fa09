import { git } from '../forge/git.ts';

/** Files agent CLIs keep beside the code (aider's chat history and caches): never part of the change. */
const AGENT_LEFTOVERS = ':(exclude,glob).aider*';

export interface AgentAuthor {
  name: string;
  email: string;
}

/**
 * Commits whatever the agent left in the worktree, with the agent as author and the
 * dispatching developer as committer's note. Idempotent: with nothing new to commit
 * (a retry after the commit landed) it returns the existing head. Reports whether the
 * branch carries any change against the base at all.
 */
export async function commitAgentWork(options: {
  worktree: string;
  baseCommit: string;
  message: string;
  author: AgentAuthor;
}): Promise<{ headSha: string; hasChanges: boolean }> {
  const { worktree } = options;
  await git(['add', '--all', '--', '.', AGENT_LEFTOVERS], { cwd: worktree });
  const staged = (await git(['diff', '--cached', '--name-only'], { cwd: worktree })).trim();
  if (staged) {
    const who = {
      GIT_AUTHOR_NAME: options.author.name,
      GIT_AUTHOR_EMAIL: options.author.email,
      GIT_COMMITTER_NAME: options.author.name,
      GIT_COMMITTER_EMAIL: options.author.email,
    };
    await git(['-c', 'commit.gpgsign=false', 'commit', '--no-verify', '--quiet', '-m', options.message], { cwd: worktree, env: who });
  }
  const headSha = (await git(['rev-parse', 'HEAD'], { cwd: worktree })).trim();
  const changed = (await git(['diff', '--name-only', `${options.baseCommit}..HEAD`], { cwd: worktree })).trim();
  return { headSha, hasChanges: changed.length > 0 };
}
