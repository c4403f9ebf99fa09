// The scope input every evidence procedure takes (org, period, team, repository) and its
// resolution for the caller: one definition, so every page filters the same way.
import { type EvidenceScope, resolveScope, type Transact, ZEvidenceScope } from '@parallax/evidence';
import type { Role, Tx } from '@parallax/db';
import { ZOrgScoped } from '../trpc.ts';

export const ZEvidenceScopeInput = ZOrgScoped.extend(ZEvidenceScope.shape);

interface ScopedContext {
  auth: { userId: string };
  membership: { role: Role };
  /** A transaction of its own in the caller's tenant scope (what maturityReport takes). */
  tenant: Transact;
}

type ScopeInput = { orgId: string; from: string; to: string; teamId?: string; repositoryId?: string };

const viewerOf = (ctx: ScopedContext) => ({ userId: ctx.auth.userId, role: ctx.membership.role });

/** The caller's scope, resolved in a transaction of its own: for work that opens its own transactions. */
export function scopeOf(ctx: ScopedContext, input: ScopeInput): Promise<EvidenceScope> {
  return ctx.tenant((tx) => resolveScope(tx, viewerOf(ctx), input));
}

/** Resolves the scope and runs `work` in the same tenant transaction. */
export function withScope<T>(ctx: ScopedContext, input: ScopeInput, work: (tx: Tx, scope: EvidenceScope) => Promise<T>): Promise<T> {
  return ctx.tenant(async (tx) => work(tx, await resolveScope(tx, viewerOf(ctx), input)));
}
