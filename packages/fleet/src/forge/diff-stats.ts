// What a session's branch changed against its base, from git itself: the numbers a PR
// records (filesChanged, linesAdded, linesDeleted) and the file list its body shows.
import type { DiffStats } from './forge.ts';
import { git } from './git.ts';

/**
 * `git diff --numstat base...HEAD` in the worktree: committed changes since the branch
 * left base. A binary file counts as a file with 0 lines; a rename is one file (its new path).
 */
export async function diffStats(o: { worktree: string; base: string }): Promise<DiffStats & { files: string[] }> {
  const out = await git(['diff', '--numstat', '-z', '-M', `${o.base}...HEAD`, '--'], { cwd: o.worktree });
  const stats = { filesChanged: 0, linesAdded: 0, linesDeleted: 0, files: [] as string[] };
  // -z: "added\tdeleted\tpath\0", or for a rename "added\tdeleted\t\0old\0new\0".
  const fields = out.split('\0');
  for (let i = 0; i < fields.length; i++) {
    const entry = fields[i];
    if (!entry) continue;
    const [added = '-', deleted = '-', ...rest] = entry.split('\t');
    let file = rest.join('\t');
    if (file === '') {
      file = fields[i + 2] ?? '';
      i += 2;
    }
    stats.filesChanged += 1;
    stats.linesAdded += added === '-' ? 0 : Number(added);
    stats.linesDeleted += deleted === '-' ? 0 : Number(deleted);
    stats.files.push(file);
  }
  return stats;
}
