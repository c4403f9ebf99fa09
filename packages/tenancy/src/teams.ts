import { z } from 'zod';
import { isUniqueViolation, type Tx } from '@parallax/db';
import { recordAudit } from './audit.ts';
import { conflict, notFound } from './errors.ts';
import { slugify } from './slug.ts';

export const ZTeamName = z
  .string()
  .trim()
  .min(2, { message: 'Use at least 2 characters' })
  .max(60, { message: 'Use at most 60 characters' });

export async function createTeam(tx: Tx, input: { orgId: string; actorUserId: string; name: string }) {
  const name = ZTeamName.parse(input.name);
  const slug = slugify(name);
  // A unique violation aborts the transaction, so look first; the index still guards races.
  if (await tx.team.findUnique({ where: { orgId_slug: { orgId: input.orgId, slug } } }))
    throw conflict(`A team named "${name}" already exists.`);
  try {
    const team = await tx.team.create({ data: { orgId: input.orgId, name, slug } });
    await recordAudit(tx, {
      orgId: input.orgId,
      actorUserId: input.actorUserId,
      action: 'team.create',
      targetType: 'Team',
      targetId: team.id,
      data: { name },
    });
    return { id: team.id, name: team.name, slug: team.slug };
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(`A team named "${name}" already exists.`);
    throw error;
  }
}

export async function listTeams(tx: Tx, orgId: string) {
  const teams = await tx.team.findMany({
    where: { orgId },
    include: { members: { include: { membership: { include: { user: true } } } } },
    orderBy: { name: 'asc' },
  });
  return teams.map((t) => ({
    id: t.id,
    name: t.name,
    slug: t.slug,
    members: t.members.map((m) => ({ membershipId: m.membershipId, name: m.membership.user.name, email: m.membership.user.email })),
  }));
}

async function findPair(tx: Tx, orgId: string, teamId: string, membershipId: string) {
  const [team, membership] = await Promise.all([
    tx.team.findFirst({ where: { id: teamId, orgId } }),
    tx.membership.findFirst({ where: { id: membershipId, orgId } }),
  ]);
  if (!team) throw notFound('Team');
  if (!membership) throw notFound('Member');
  return { team, membership };
}

export async function addTeamMember(tx: Tx, input: { orgId: string; actorUserId: string; teamId: string; membershipId: string }) {
  const { team, membership } = await findPair(tx, input.orgId, input.teamId, input.membershipId);
  await tx.teamMember.upsert({
    where: { teamId_membershipId: { teamId: team.id, membershipId: membership.id } },
    create: { orgId: input.orgId, teamId: team.id, membershipId: membership.id },
    update: {},
  });
  await recordAudit(tx, {
    orgId: input.orgId,
    actorUserId: input.actorUserId,
    action: 'team.member.add',
    targetType: 'Team',
    targetId: team.id,
    data: { membershipId: membership.id },
  });
}

export async function removeTeamMember(tx: Tx, input: { orgId: string; actorUserId: string; teamId: string; membershipId: string }) {
  const { team, membership } = await findPair(tx, input.orgId, input.teamId, input.membershipId);
  await tx.teamMember.deleteMany({ where: { teamId: team.id, membershipId: membership.id } });
  await recordAudit(tx, {
    orgId: input.orgId,
    actorUserId: input.actorUserId,
    action: 'team.member.remove',
    targetType: 'Team',
    targetId: team.id,
    data: { membershipId: membership.id },
  });
}
