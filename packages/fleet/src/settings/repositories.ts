import { z } from 'zod';
import { isUniqueViolation, type Tx } from '@parallax/db';
import { conflict, notFound, recordAudit } from '@parallax/tenancy';
import { ZTemplateSchemaName } from '../workspace/template-schema-name.ts';
import { checkRepositoryUrl, type RepositoryPaths, repositoryPathsFromEnv, resolveOwnRepositoryPath } from '../forge/repository-paths.ts';

/** A command run by `/bin/sh -c` in the session's sandbox; empty means none. */
const ZShellCommand = (what: string) =>
  z
    .string()
    .trim()
    .max(4000, { message: `The ${what} command is at most 4000 characters; put longer scripts in the repository` })
    .transform((s) => s || null)
    .optional()
    .nullable();

export const ZRepositoryInput = z
  .object({
    name: z
      .string()
      .trim()
      .min(1, { message: 'Name the repository' })
      .max(100)
      .regex(/^[\w.-]+$/, { message: 'Use letters, digits, dots, dashes and underscores' }),
    forge: z.enum(['LOCAL', 'GITHUB']).default('LOCAL'),
    url: z
      .string()
      .trim()
      .max(500)
      .superRefine((url, ctx) => {
        const problem = url ? checkRepositoryUrl(url) : null;
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      })
      .optional()
      .nullable(),
    localPath: z.string().trim().max(1000).optional().nullable(),
    defaultBranch: z.string().trim().min(1).max(200).default('main'),
    testCommand: z.string().trim().max(2000).optional().nullable(),
    setupCommand: ZShellCommand('setup'),
    teardownCommand: ZShellCommand('teardown'),
    createsSchema: z.boolean().default(false),
    templateSchema: ZTemplateSchemaName.nullable().optional(),
    githubInstallationId: z.number().int().positive().optional().nullable(),
  })
  .refine((r) => !r.templateSchema || r.createsSchema, {
    message: 'A template schema is copied into the session’s own schema: turn on “a database schema per session” too',
    path: ['templateSchema'],
  })
  .refine((r) => Boolean(r.url || r.localPath), { message: 'Give a clone URL or a local path', path: ['url'] })
  .refine((r) => r.forge !== 'GITHUB' || /^https:\/\/github\.com\/[\w.-]+\/[\w.-]+?(\.git)?$/.test(r.url ?? ''), {
    message: 'A GitHub repository needs its https://github.com/<owner>/<repo> URL',
    path: ['url'],
  });
export type TRepositoryInput = z.input<typeof ZRepositoryInput>;

export async function listRepositories(tx: Tx, orgId: string) {
  return tx.repository.findMany({ where: { orgId }, orderBy: { name: 'asc' } });
}

/**
 * Creates or updates a repository of the org. A local path must be a repository of the
 * org's own local forge or under a root the operator configured (forge/repository-paths.ts);
 * it is stored resolved, symlinks and `..` gone.
 */
export async function saveRepository(
  tx: Tx,
  input: { orgId: string; actorUserId: string; repositoryId?: string; settings: TRepositoryInput; repositoryPaths?: RepositoryPaths },
) {
  const data = ZRepositoryInput.parse(input.settings);
  // Another org's id must be not found before anything else answers: the path check
  // below looks at this server's disk, and its answers must not come to a stranger's id.
  if (input.repositoryId && !(await tx.repository.findFirst({ where: { id: input.repositoryId, orgId: input.orgId } })))
    throw notFound('Repository');
  if (data.localPath)
    data.localPath = await resolveOwnRepositoryPath(input.repositoryPaths ?? repositoryPathsFromEnv(), input.orgId, data.localPath);
  const clash = await tx.repository.findFirst({
    where: { orgId: input.orgId, name: data.name, ...(input.repositoryId ? { id: { not: input.repositoryId } } : {}) },
  });
  if (clash) throw conflict(`A repository named "${data.name}" already exists.`);
  try {
    const repo = input.repositoryId
      ? await tx.repository.update({ where: { id: input.repositoryId }, data })
      : await tx.repository.create({ data: { ...data, orgId: input.orgId } });
    await recordAudit(tx, {
      orgId: input.orgId,
      actorUserId: input.actorUserId,
      action: input.repositoryId ? 'repository.update' : 'repository.create',
      targetType: 'Repository',
      targetId: repo.id,
      data: { name: data.name },
    });
    return repo;
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(`A repository named "${data.name}" already exists.`);
    throw error;
  }
}
