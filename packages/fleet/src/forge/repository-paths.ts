// Where an org's repositories may live on this server. The local forge keeps each org's
// bare repositories in its own folder, <data dir>/forge/<org id>/; the operator may add
// roots of their own (PARALLAX_REPOSITORY_ROOTS, none by default) for self-hosting.
// Everything else of the host is refused, and so is everything else in the data folder
// (other orgs' forges, mirrors, worktrees, the database, the secrets). Paths are judged
// after symlinks and `..` are resolved (realpath), so neither can reach around the rule.
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { invalid } from '@parallax/tenancy';

export interface RepositoryPaths {
  /** The product's data folder (PARALLAX_DATA_DIR). */
  dataDir: string;
  /** Extra folders the operator allows repositories under, shared by every org. */
  roots: readonly string[];
}

// turbopackIgnore: these paths are the operator's, read at run time; without the hint
// the web build would trace the whole project into its output.
export function repositoryPathsFromEnv(env: Record<string, string | undefined> = process.env): RepositoryPaths {
  return {
    dataDir: path.resolve(/*turbopackIgnore: true*/ env.PARALLAX_DATA_DIR || '.data'),
    roots: (env.PARALLAX_REPOSITORY_ROOTS ?? '')
      .split(path.delimiter)
      .map((s) => s.trim())
      .filter(Boolean)
      .map((s) => path.resolve(/*turbopackIgnore: true*/ s)),
  };
}

/** The org's own folder on the local forge. */
export function orgForgeDir(paths: RepositoryPaths, orgId: string): string {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(orgId)) throw invalid('not an organization id');
  return path.join(paths.dataDir, 'forge', orgId);
}

const within = (parent: string, child: string) => {
  const rel = path.relative(parent, child);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
};
const real = (p: string) => realpath(p).catch(() => path.resolve(/*turbopackIgnore: true*/ p));

/**
 * The real path of a repository the org may use, or an INVALID error saying why not. A
 * relative path names a repository in the org's own forge folder. Messages name only what
 * the caller gave, never the server's own folders. `onlyUnderRoots: false` keeps the
 * tenant rule (own forge, never the data folder) but not the operator's roots.
 */
export async function resolveOwnRepositoryPath(
  paths: RepositoryPaths,
  orgId: string,
  localPath: string,
  options: { onlyUnderRoots?: boolean } = {},
): Promise<string> {
  if (!localPath.trim() || localPath.startsWith('-') || /[\0\n\r]/.test(localPath))
    throw invalid('The local path is empty or contains characters a path cannot have.');
  const ownForge = orgForgeDir(paths, orgId);
  const given = path.resolve(/*turbopackIgnore: true*/ ownForge, localPath);
  const resolved = await realpath(given).catch(() => null);
  if (!resolved) throw invalid(`Local path ${localPath} does not exist on this server.`);
  const [dataDir, ownForgeReal] = await Promise.all([real(paths.dataDir), real(ownForge)]);
  if (within(ownForgeReal, resolved)) return resolved;
  if (resolved === dataDir || within(dataDir, resolved))
    throw invalid(
      `Local path ${localPath} is not a repository of this organization's local forge; Parallax's own data cannot be used as a repository.`,
    );
  if (options.onlyUnderRoots === false) return resolved;
  for (const root of await Promise.all(paths.roots.map(real))) if (within(root, resolved)) return resolved;
  throw invalid(
    `Local path ${localPath} is outside the places repositories may live: give the name of a repository in this organization's local forge${
      paths.roots.length > 0
        ? ', or a path under one of the repository roots the operator configured'
        : ' (no other repository roots are configured on this server)'
    }.`,
  );
}

/**
 * The clone URL of a repository hosted elsewhere. Local locations (paths, file://) and
 * git's `<transport>::<address>` helpers are refused: a repository on this server is
 * given as a local path, where the rules above apply.
 */
export function checkRepositoryUrl(url: string): string | null {
  if (/::/.test(url) || /^file:/i.test(url) || /^[./~]/.test(url) || /^[A-Za-z]:[\\/]/.test(url))
    return 'A repository on this server goes in the local path, not the URL.';
  // A password in the URL would sit in the database and in every mirror's config.
  if (/^https:\/\/[^/@\s]*:[^/@\s]*@/i.test(url)) return 'Leave credentials out of the URL; the worker brings its own.';
  if (/^(https|ssh|git):\/\/[^\s/@]+(@[^\s/]+)?(:\d+)?\/\S+$/i.test(url) || /^[\w.-]+@[\w.-]+:[\w./~-]+$/.test(url)) return null;
  return 'Give an https://, ssh:// or git@host:path clone URL.';
}
