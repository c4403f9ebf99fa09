// The Variance page (issue 9): procedure → input (the evidence scope) → output → one call into
// @parallax/evidence, which decides who sees whose points.
import { resolveScope, viewVariance, ZEvidenceScope, ZVarianceView } from '@parallax/evidence';
import { createTRPCRouter, orgProcedure, ZOrgScoped } from '../trpc.ts';

export const varianceRouter = createTRPCRouter({
  view: orgProcedure
    .input(ZOrgScoped.extend(ZEvidenceScope.shape))
    .output(ZVarianceView)
    .query(({ ctx, input }) =>
      ctx.tenant(async (tx) => {
        const scope = await resolveScope(
          tx,
          { userId: ctx.auth.userId, role: ctx.membership.role },
          { ...input, orgId: ctx.membership.orgId },
        );
        return viewVariance(tx, scope);
      }),
    ),
});
