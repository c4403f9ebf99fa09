// The scope input every evidence procedure takes (org, period, team, repository) and its
// resolution for the caller: one definition, so every page filters the same way.
import { type EvidenceScope, resolveScope, ZEvidenceScope } from '@parallax/evidence';
import type { Role, Tx } from '@parallax/db';
import { ZOrgScoped } from '../trpc.ts';

export const ZEvidenceScopeInput = ZOrgScoped.extend(ZEvidenceScope.shape);

interface ScopedContext {
  auth: { userId: string };
  membership: { role: Role };
  tenant<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
}

/** Resolves the scope and runs `work` in the same tenant transaction. */
export function withScope<T>(
  ctx: ScopedContext,
  input: { orgId: string; from: string; to: string; teamId?: string; repositoryId?: string },
  work: (tx: Tx, scope: EvidenceScope) => Promise<T>,
): Promise<T> {
  return ctx.tenant(async (tx) => work(tx, await resolveScope(tx, { userId: ctx.auth.userId, role: ctx.membership.role }, input)));
}
