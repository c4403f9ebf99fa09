// Repository settings come from people (the Settings page, the API): checked here
// before any of them reaches a git command line or a path on disk.
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { invalid } from '@parallax/tenancy';
import { z } from 'zod';
import { tryGit } from './git.ts';
import { ZTemplateSchemaName } from './template-schema-name.ts';

/** Ids become directory names and branch names: no separators, no leading dash. */
export const ZPathSafeId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/, { message: 'must be letters, digits, "_" or "-" (at most 100)' });

const ZOrigin = z
  .string()
  .trim()
  .min(1)
  .max(2000)
  .refine((s) => !s.startsWith('-') && !/[\0\n\r]/.test(s), { message: 'is not a usable location' })
  .nullish();

export const ZRepositorySource = z.object({ id: ZPathSafeId, url: ZOrigin, localPath: ZOrigin });
export type TRepositorySource = z.input<typeof ZRepositorySource>;

export const ZRepositorySettings = ZRepositorySource.extend({
  defaultBranch: z
    .string()
    .trim()
    .min(1)
    .max(250)
    .refine((s) => !s.startsWith('-') && !/[\s~^:?*[\\\0]|\.\.|@\{|\.lock$|\/$/.test(s), { message: 'is not a valid branch name' }),
  createsSchema: z.boolean(),
  templateSchema: ZTemplateSchemaName.nullish(),
});
export type TRepositorySettings = z.input<typeof ZRepositorySettings>;

/**
 * Where the mirror fetches from: the local path when the repository has one (the
 * local forge keeps bare repositories on disk), else its URL. A local path must be
 * an existing git repository.
 */
export async function resolveOrigin(repository: z.output<typeof ZRepositorySource>): Promise<string> {
  if (repository.localPath) {
    const localPath = path.resolve(repository.localPath);
    const real = await realpath(localPath).catch(() => null);
    const isDirectory = real !== null && (await stat(real)).isDirectory();
    const gitDir = isDirectory ? await tryGit(['rev-parse', '--absolute-git-dir'], { cwd: real }) : null;
    // rev-parse also succeeds inside a plain folder of some other repository: the
    // path must be the repository itself (its git dir, or the folder holding .git).
    if (!gitDir || (gitDir !== real && path.dirname(gitDir) !== real)) {
      throw invalid(`Repository ${repository.id}: local path ${localPath} is not a git repository`);
    }
    return localPath;
  }
  if (repository.url) return repository.url;
  throw invalid(`Repository ${repository.id} has neither a URL nor a local path`);
}
