import type { Role, Tx } from '@parallax/db';
import { recordAudit } from './audit.ts';
import { forbidden, invalid, notFound } from './errors.ts';

export interface Actor {
  userId: string;
  role: Role;
}

export async function listMembers(tx: Tx, orgId: string) {
  const rows = await tx.membership.findMany({
    where: { orgId },
    include: { user: true, teamMembers: { include: { team: true } } },
    orderBy: { createdAt: 'asc' },
  });
  return rows.map((m) => ({
    membershipId: m.id,
    userId: m.userId,
    email: m.user.email,
    name: m.user.name,
    role: m.role,
    joinedAt: m.createdAt,
    teams: m.teamMembers.map((tm) => ({ id: tm.team.id, name: tm.team.name })),
  }));
}

async function findTarget(tx: Tx, orgId: string, membershipId: string) {
  const target = await tx.membership.findFirst({ where: { id: membershipId, orgId } });
  if (!target) throw notFound('Member');
  return target;
}

/** Only an OWNER may make or unmake an OWNER, and the last OWNER always stays. */
async function assertOwnershipRules(tx: Tx, orgId: string, actor: Actor, target: { role: Role }, nextRole: Role | null) {
  const touchesOwner = target.role === 'OWNER' || nextRole === 'OWNER';
  if (touchesOwner && actor.role !== 'OWNER') throw forbidden('Only an owner can grant or remove the owner role.');
  if (target.role === 'OWNER' && nextRole !== 'OWNER') {
    const owners = await tx.membership.count({ where: { orgId, role: 'OWNER' } });
    if (owners <= 1) throw invalid('An organization needs at least one owner. Make someone else owner first.');
  }
}

export async function updateMemberRole(tx: Tx, input: { orgId: string; actor: Actor; membershipId: string; role: Role }) {
  const target = await findTarget(tx, input.orgId, input.membershipId);
  await assertOwnershipRules(tx, input.orgId, input.actor, target, input.role);
  await tx.membership.update({ where: { id: target.id }, data: { role: input.role } });
  await recordAudit(tx, {
    orgId: input.orgId,
    actorUserId: input.actor.userId,
    action: 'member.role',
    targetType: 'Membership',
    targetId: target.id,
    data: { from: target.role, to: input.role },
  });
}

export async function removeMember(tx: Tx, input: { orgId: string; actor: Actor; membershipId: string }) {
  const target = await findTarget(tx, input.orgId, input.membershipId);
  await assertOwnershipRules(tx, input.orgId, input.actor, target, null);
  await tx.membership.delete({ where: { id: target.id } });
  // The removed user's open browser sessions end now, not when their cookies expire
  // (the browser-session rows of @parallax/auth; tenancy cannot import auth).
  await tx.session.deleteMany({ where: { userId: target.userId } });
  await recordAudit(tx, {
    orgId: input.orgId,
    actorUserId: input.actor.userId,
    action: 'member.remove',
    targetType: 'Membership',
    targetId: target.id,
    data: { userId: target.userId },
  });
}
