// API tokens for the CLI and the REST API: hashed at rest, revocable, scoped, and
// bound to one member of one org. A token stops working when its owner leaves.
import { z } from 'zod';
import type { Database, Tx } from '@parallax/db';
import { notFound, recordAudit } from '@parallax/tenancy';
import { hashSecret, newSecret } from '@parallax/tenancy';

export const API_TOKEN_SCOPES = ['sessions:read', 'sessions:write', 'evidence:read', 'evidence:export'] as const;
export const ZApiTokenScope = z.enum(API_TOKEN_SCOPES);
const TOKEN_PREFIX = 'plx_';

export async function createApiToken(
  tx: Tx,
  input: { orgId: string; userId: string; name: string; scopes: string[]; expiresAt?: Date | null },
): Promise<{ id: string; token: string }> {
  const { secret, hash } = newSecret(TOKEN_PREFIX);
  const row = await tx.apiToken.create({
    data: {
      orgId: input.orgId,
      userId: input.userId,
      name: input.name,
      scopes: input.scopes,
      tokenHash: hash,
      prefix: secret.slice(0, TOKEN_PREFIX.length + 6),
      expiresAt: input.expiresAt ?? null,
    },
  });
  await recordAudit(tx, {
    orgId: input.orgId,
    actorUserId: input.userId,
    action: 'api_token.create',
    targetType: 'ApiToken',
    targetId: row.id,
    data: { name: input.name, scopes: input.scopes },
  });
  return { id: row.id, token: secret };
}

/** Lists the org's tokens: everyone's for admins, one's own for others. Never the secret. */
export async function listApiTokens(tx: Tx, input: { orgId: string; userId: string; seeAll: boolean }) {
  return tx.apiToken.findMany({
    where: { orgId: input.orgId, ...(input.seeAll ? {} : { userId: input.userId }) },
    select: {
      id: true,
      name: true,
      prefix: true,
      scopes: true,
      createdAt: true,
      lastUsedAt: true,
      expiresAt: true,
      revokedAt: true,
      userId: true,
    },
    orderBy: { createdAt: 'desc' },
  });
}

export async function revokeApiToken(
  tx: Tx,
  input: { orgId: string; userId: string; tokenId: string; canRevokeOthers: boolean },
): Promise<void> {
  const token = await tx.apiToken.findFirst({ where: { id: input.tokenId, orgId: input.orgId } });
  if (!token || (!input.canRevokeOthers && token.userId !== input.userId)) throw notFound('API token');
  if (!token.revokedAt) await tx.apiToken.update({ where: { id: token.id }, data: { revokedAt: new Date() } });
  await recordAudit(tx, {
    orgId: input.orgId,
    actorUserId: input.userId,
    action: 'api_token.revoke',
    targetType: 'ApiToken',
    targetId: token.id,
  });
}

export interface ApiTokenIdentity {
  user: { id: string; email: string; name: string | null };
  org: { id: string; slug: string; name: string };
  scopes: string[];
}

/** Resolves a presented bearer token, or null when it is unknown, revoked, expired or orphaned. */
export async function authenticateApiToken(db: Database, token: string, now = new Date()): Promise<ApiTokenIdentity | null> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return null;
  const tokenHash = hashSecret(token);
  const row = await db.scoped({ apiTokenHash: tokenHash }, (tx) => tx.apiToken.findUnique({ where: { tokenHash } }));
  if (!row || row.revokedAt || (row.expiresAt && row.expiresAt <= now)) return null;
  return db.forOrg(row.orgId, async (tx) => {
    const membership = await tx.membership.findUnique({
      where: { orgId_userId: { orgId: row.orgId, userId: row.userId } },
      include: { user: true, org: true },
    });
    if (!membership) return null;
    await tx.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: now } });
    return {
      user: { id: membership.user.id, email: membership.user.email, name: membership.user.name },
      org: { id: membership.org.id, slug: membership.org.slug, name: membership.org.name },
      scopes: row.scopes,
    };
  });
}
