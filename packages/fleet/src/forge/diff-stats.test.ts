import { afterAll, describe, expect, it } from 'vitest';
import { commitFiles, createOrigin, gitIn, makeScratchDir } from '../../test/fixtures/forge/git-repos.ts';
import { diffStats } from './diff-stats.ts';

const scratch = makeScratchDir();
afterAll(() => scratch.remove());

function cloneOnBranch(name: string): string {
  const origin = createOrigin(scratch.dir, name);
  const worktree = `${scratch.dir}/${name}-work`;
  gitIn(scratch.dir, ['clone', '--quiet', origin, worktree]);
  gitIn(worktree, ['checkout', '--quiet', '-b', 'agent']);
  return worktree;
}

describe('diffStats', () => {
  it('counts files and lines the branch changed since it left base, binary files as files with no lines', async () => {
    const worktree = cloneOnBranch('stats');
    commitFiles(worktree, { 'src/greeting.ts': "export const greeting = 'bonjour';\nexport const farewell = 'au revoir';\n" }, 'Edit');
    commitFiles(
      worktree,
      { 'logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 0, 255]), 'docs/a file with spaces.md': 'one\ntwo\nthree\n' },
      'Add',
    );
    expect(await diffStats({ worktree, base: 'origin/main' })).toEqual({
      filesChanged: 3,
      linesAdded: 5,
      linesDeleted: 1,
      files: ['docs/a file with spaces.md', 'logo.png', 'src/greeting.ts'],
    });
  });

  it('ignores what moved on base after the branch left it (three dots), and counts a rename as one file', async () => {
    const worktree = cloneOnBranch('renames');
    gitIn(worktree, ['mv', 'README.md', 'GUIDE.md']);
    gitIn(worktree, ['commit', '--quiet', '-m', 'Rename']);
    gitIn(worktree, ['checkout', '--quiet', 'main']);
    commitFiles(worktree, { 'unrelated.txt': 'x\n'.repeat(50) }, 'Base moves on');
    gitIn(worktree, ['checkout', '--quiet', 'agent']);
    expect(await diffStats({ worktree, base: 'main' })).toEqual({ filesChanged: 1, linesAdded: 0, linesDeleted: 0, files: ['GUIDE.md'] });
  });

  it('reports nothing for a branch without commits', async () => {
    const worktree = cloneOnBranch('empty');
    expect(await diffStats({ worktree, base: 'origin/main' })).toEqual({ filesChanged: 0, linesAdded: 0, linesDeleted: 0, files: [] });
  });
});
