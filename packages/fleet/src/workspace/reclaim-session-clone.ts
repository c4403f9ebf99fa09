// Before the worker runs git in a session's copy again (to commit, push, or prepare a
// retry), it takes the repository back from the agent. Everything under .git was the
// agent's to write, and git trusts what it finds there: a config that sets a filter,
// diff driver or fsmonitor runs commands as the worker; an alternates file, a
// commondir or a symlink points git at another organization's objects; a changed
// origin pushes into another repository. So the config, HEAD, alternates and index are
// rewritten from what the worker knows, and whatever could lead elsewhere is removed.
// Only call it once nothing of the sandbox runs any more.
import { execFile } from 'node:child_process';
import { lstat, mkdir, readdir, realpath, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { invalid } from '@parallax/tenancy';
import { ENV_FILE, excludeFromCommits } from './env-file.ts';
import { git } from './git.ts';

const run = promisify(execFile);
const REDIRECTS = ['commondir', 'gitdir', 'worktrees', 'hooks', 'objects/info/http-alternates', 'info/grafts', 'modules', 'index'];

export async function reclaimSessionClone(options: { worktreePath: string; mirror: string; branch: string }): Promise<void> {
  const { worktreePath, branch } = options;
  const gitDir = path.join(worktreePath, '.git');
  const st = await lstat(gitDir).catch(() => null);
  if (!st?.isDirectory()) {
    throw invalid("the session's repository is gone or was replaced (its .git is not a folder): nothing of it can be trusted");
  }
  // The sandbox made it its user's; git in child processes (a local fetch's upload-pack) checks who owns it.
  if (process.getuid?.() === 0) await run('chown', ['-R', '--no-dereference', '0:0', worktreePath]);
  for (const entry of await readdir(gitDir, { recursive: true, withFileTypes: true })) {
    if (entry.isSymbolicLink()) await rm(path.join(entry.parentPath, entry.name), { force: true });
  }
  for (const name of REDIRECTS) await rm(path.join(gitDir, name), { recursive: true, force: true });

  const mirror = await realpath(options.mirror);
  const origin = await git(['config', '--get', 'remote.origin.url'], { cwd: mirror });
  // Replaced, never written through: any of these may be a FIFO or a device the agent made.
  await writeNew(path.join(gitDir, 'objects', 'info', 'alternates'), `${path.join(mirror, 'objects')}\n`);
  await writeNew(path.join(gitDir, 'config'), '[core]\n\trepositoryformatversion = 0\n\tfilemode = true\n\tbare = false\n');
  await git(['config', '--file', path.join(gitDir, 'config'), 'remote.origin.url', origin], { cwd: worktreePath });
  await writeNew(path.join(gitDir, 'HEAD'), `ref: refs/heads/${branch}\n`);
  // The index is rebuilt from the branch: the commit is what the worktree holds, not what the agent staged.
  await git(['read-tree', 'HEAD'], { cwd: worktreePath });
  await excludeFromCommits(worktreePath, ENV_FILE);
}

async function writeNew(file: string, content: string): Promise<void> {
  await rm(file, { recursive: true, force: true });
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, content, { flag: 'wx' });
}
