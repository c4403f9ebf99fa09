import type { Database, Role, Tx } from '@parallax/db';
import { recordAudit } from './audit.ts';
import { hashSecret, newSecret } from './bearer-secret.ts';
import { AppError, forbidden, notFound } from './errors.ts';
import type { Actor } from './members.ts';

const INVITE_PREFIX = 'inv_';

/** An invite link's token is shown once; only its hash is kept. */
export async function createInvite(
  tx: Tx,
  input: { orgId: string; actor: Actor; role: Role; email?: string | null; expiresInDays?: number },
): Promise<{ inviteId: string; token: string; expiresAt: Date }> {
  if (input.role === 'OWNER' && input.actor.role !== 'OWNER') throw forbidden('Only an owner can invite another owner.');
  const { secret, hash } = newSecret(INVITE_PREFIX);
  const expiresAt = new Date(Date.now() + (input.expiresInDays ?? 7) * 86_400_000);
  const invite = await tx.invite.create({
    data: {
      orgId: input.orgId,
      tokenHash: hash,
      role: input.role,
      email: input.email?.toLowerCase() ?? null,
      createdById: input.actor.userId,
      expiresAt,
    },
  });
  await recordAudit(tx, {
    orgId: input.orgId,
    actorUserId: input.actor.userId,
    action: 'invite.create',
    targetType: 'Invite',
    targetId: invite.id,
    data: { role: input.role, email: invite.email },
  });
  return { inviteId: invite.id, token: secret, expiresAt };
}

export type InviteStatus = 'PENDING' | 'ACCEPTED' | 'REVOKED' | 'EXPIRED';

function statusOf(invite: { acceptedAt: Date | null; revokedAt: Date | null; expiresAt: Date }, now = new Date()): InviteStatus {
  if (invite.acceptedAt) return 'ACCEPTED';
  if (invite.revokedAt) return 'REVOKED';
  return invite.expiresAt <= now ? 'EXPIRED' : 'PENDING';
}

export async function listInvites(tx: Tx, orgId: string) {
  const invites = await tx.invite.findMany({ where: { orgId }, orderBy: { createdAt: 'desc' }, take: 200 });
  return invites.map((i) => ({
    id: i.id,
    role: i.role,
    email: i.email,
    createdAt: i.createdAt,
    expiresAt: i.expiresAt,
    status: statusOf(i),
  }));
}

export async function revokeInvite(tx: Tx, input: { orgId: string; actorUserId: string; inviteId: string }) {
  const invite = await tx.invite.findFirst({ where: { id: input.inviteId, orgId: input.orgId } });
  if (!invite) throw notFound('Invite');
  if (statusOf(invite) === 'PENDING') await tx.invite.update({ where: { id: invite.id }, data: { revokedAt: new Date() } });
  await recordAudit(tx, {
    orgId: input.orgId,
    actorUserId: input.actorUserId,
    action: 'invite.revoke',
    targetType: 'Invite',
    targetId: invite.id,
  });
}

async function findByToken(db: Database, token: string) {
  if (!token.startsWith(INVITE_PREFIX) || token.length > 200) throw notFound('Invite');
  const tokenHash = hashSecret(token);
  const invite = await db.scoped({ inviteTokenHash: tokenHash }, (tx) =>
    tx.invite.findUnique({ where: { tokenHash }, include: { org: true } }),
  );
  if (!invite) throw notFound('Invite');
  return invite;
}

function assertUsable(invite: { acceptedAt: Date | null; revokedAt: Date | null; expiresAt: Date }) {
  const status = statusOf(invite);
  if (status === 'REVOKED') throw new AppError('INVALID', 'This invite was revoked. Ask for a new one.');
  if (status === 'EXPIRED') throw new AppError('INVALID', 'This invite has expired. Ask for a new one.');
  if (status === 'ACCEPTED') throw new AppError('INVALID', 'This invite has already been used.');
}

export async function previewInvite(db: Database, token: string) {
  const invite = await findByToken(db, token);
  return {
    orgName: invite.org.name,
    orgSlug: invite.org.slug,
    role: invite.role,
    email: invite.email,
    expiresAt: invite.expiresAt,
    status: statusOf(invite),
  };
}

/**
 * Joins the invite's org. Idempotent for someone already a member (their role is
 * kept); a second person presenting a used token is refused. An invite addressed to
 * an email can only be accepted by that account.
 */
export async function acceptInvite(db: Database, input: { token: string; userId: string }): Promise<{ orgId: string; slug: string }> {
  const invite = await findByToken(db, input.token);
  assertUsable(invite);
  return db.scoped({ orgId: invite.orgId, userId: input.userId }, async (tx) => {
    const user = await tx.user.findUniqueOrThrow({ where: { id: input.userId } });
    if (invite.email && invite.email !== user.email.toLowerCase()) {
      throw forbidden(`This invite is for ${invite.email}. Sign in with that account to accept it.`);
    }
    const claimed = await tx.invite.updateMany({
      where: { id: invite.id, acceptedAt: null, revokedAt: null },
      data: { acceptedAt: new Date(), acceptedById: input.userId },
    });
    if (claimed.count === 0) throw new AppError('INVALID', 'This invite has already been used.');
    const existing = await tx.membership.findUnique({ where: { orgId_userId: { orgId: invite.orgId, userId: input.userId } } });
    if (!existing) await tx.membership.create({ data: { orgId: invite.orgId, userId: input.userId, role: invite.role } });
    await tx.user.update({ where: { id: input.userId }, data: { lastOrgId: invite.orgId } });
    await recordAudit(tx, {
      orgId: invite.orgId,
      actorUserId: input.userId,
      action: 'invite.accept',
      targetType: 'Invite',
      targetId: invite.id,
      data: { role: existing?.role ?? invite.role },
    });
    return { orgId: invite.orgId, slug: invite.org.slug };
  });
}
