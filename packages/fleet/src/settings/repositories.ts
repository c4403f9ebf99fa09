import { z } from 'zod';
import { isUniqueViolation, type Tx } from '@parallax/db';
import { conflict, notFound, recordAudit } from '@parallax/tenancy';

export const ZRepositoryInput = z
  .object({
    name: z
      .string()
      .trim()
      .min(1, { message: 'Name the repository' })
      .max(100)
      .regex(/^[\w.-]+$/, { message: 'Use letters, digits, dots, dashes and underscores' }),
    forge: z.enum(['LOCAL', 'GITHUB']).default('LOCAL'),
    url: z.string().trim().max(500).optional().nullable(),
    localPath: z.string().trim().max(1000).optional().nullable(),
    defaultBranch: z.string().trim().min(1).max(200).default('main'),
    testCommand: z.string().trim().max(2000).optional().nullable(),
    createsSchema: z.boolean().default(false),
    githubInstallationId: z.number().int().positive().optional().nullable(),
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

export async function saveRepository(
  tx: Tx,
  input: { orgId: string; actorUserId: string; repositoryId?: string; settings: TRepositoryInput },
) {
  const data = ZRepositoryInput.parse(input.settings);
  if (input.repositoryId && !(await tx.repository.findFirst({ where: { id: input.repositoryId, orgId: input.orgId } })))
    throw notFound('Repository');
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
