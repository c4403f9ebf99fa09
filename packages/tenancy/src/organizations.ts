import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { isUniqueViolation, type Database, type Tx } from '@parallax/db';
import { recordAudit } from './audit.ts';
import { AppError, conflict, notFound } from './errors.ts';
import { slugify, ZSlug } from './slug.ts';

export const ZOrgName = z
  .string()
  .trim()
  .min(2, { message: 'Use at least 2 characters' })
  .max(80, { message: 'Use at most 80 characters' });
export const ZTimeZone = z.string().refine((tz) => Intl.supportedValuesOf('timeZone').includes(tz) || tz === 'UTC', {
  message: 'Unknown time zone (use an IANA name such as Europe/Berlin)',
});
export const ZOrgSettings = z.object({
  name: ZOrgName.optional(),
  timeZone: ZTimeZone.optional(),
  developerConcurrencyCap: z.number().int().min(1).max(50).optional(),
  orgConcurrencyCap: z.number().int().min(1).max(10_000).optional(),
});

/**
 * Creates an org with its creator as OWNER. Without an explicit slug one is made from
 * the name, with a suffix when taken; an explicit slug that is taken is a CONFLICT.
 * Slugs are unique across orgs, which RLS hides from each other: the unique index,
 * not a lookup, is what detects a clash.
 */
export async function createOrganization(
  db: Database,
  input: { userId: string; name: string; slug?: string },
): Promise<{ id: string; slug: string }> {
  const name = ZOrgName.parse(input.name);
  const wanted = input.slug ? ZSlug.parse(input.slug) : slugify(name);
  for (let attempt = 0; attempt < 6; attempt++) {
    const slug = attempt === 0 ? wanted : `${wanted}-${randomUUID().slice(0, 4)}`;
    const id = randomUUID();
    try {
      await db.scoped({ orgId: id, userId: input.userId }, async (tx) => {
        await tx.organization.create({ data: { id, slug, name } });
        await tx.membership.create({ data: { orgId: id, userId: input.userId, role: 'OWNER' } });
        await tx.user.update({ where: { id: input.userId }, data: { lastOrgId: id } });
        await recordAudit(tx, {
          orgId: id,
          actorUserId: input.userId,
          action: 'org.create',
          targetType: 'Organization',
          targetId: id,
          data: { name, slug },
        });
      });
      return { id, slug };
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      if (input.slug) throw conflict(`The URL name "${slug}" is taken; choose another.`);
    }
  }
  throw new AppError('CONFLICT', 'Could not find a free URL name for this organization; choose one.');
}

export async function getOrganization(tx: Tx, orgId: string) {
  const org = await tx.organization.findUnique({ where: { id: orgId } });
  if (!org) throw notFound('Organization');
  return org;
}

export async function updateOrganization(tx: Tx, input: { orgId: string; actorUserId: string; patch: z.infer<typeof ZOrgSettings> }) {
  const patch = ZOrgSettings.parse(input.patch);
  const org = await tx.organization.update({ where: { id: input.orgId }, data: patch });
  await recordAudit(tx, {
    orgId: input.orgId,
    actorUserId: input.actorUserId,
    action: 'org.update',
    targetType: 'Organization',
    targetId: input.orgId,
    data: patch,
  });
  return org;
}
