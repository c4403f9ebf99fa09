import type { Database, Role } from '@parallax/db';
import { notFound } from './errors.ts';

export interface Viewer {
  user: { id: string; email: string; name: string | null };
  memberships: { orgId: string; slug: string; name: string; role: Role }[];
  lastOrgId: string | null;
}

/** The signed-in user and every org they belong to (RLS shows a user their own memberships). */
export async function getViewer(db: Database, userId: string): Promise<Viewer> {
  return db.scoped({ userId }, async (tx) => {
    const user = await tx.user.findUnique({ where: { id: userId } });
    if (!user) throw notFound('User');
    const memberships = await tx.membership.findMany({ where: { userId }, include: { org: true }, orderBy: { createdAt: 'asc' } });
    return {
      user: { id: user.id, email: user.email, name: user.name },
      memberships: memberships.map((m) => ({ orgId: m.orgId, slug: m.org.slug, name: m.org.name, role: m.role })),
      lastOrgId: memberships.some((m) => m.orgId === user.lastOrgId) ? user.lastOrgId : null,
    };
  });
}

export async function setLastOrg(db: Database, input: { userId: string; orgId: string }): Promise<void> {
  await db.scoped({ userId: input.userId }, (tx) => tx.user.update({ where: { id: input.userId }, data: { lastOrgId: input.orgId } }));
}

/** The caller's membership of an org, or null: the gate of every org-scoped API call. */
export async function findMembership(db: Database, input: { orgId: string; userId: string }) {
  return db.scoped({ orgId: input.orgId, userId: input.userId }, (tx) =>
    tx.membership.findUnique({ where: { orgId_userId: { orgId: input.orgId, userId: input.userId } } }),
  );
}
