// The Variance page (issue 9): procedure → input (the evidence scope) → output → one call into
// @parallax/evidence, which decides who sees whose points.
import { viewVariance, ZVarianceView } from '@parallax/evidence';
import { createTRPCRouter, orgProcedure } from '../trpc.ts';
import { withScope, ZEvidenceScopeInput } from './evidence-scope.ts';

export const varianceRouter = createTRPCRouter({
  view: orgProcedure
    .input(ZEvidenceScopeInput)
    .output(ZVarianceView)
    .query(({ ctx, input }) => withScope(ctx, input, (tx, scope) => viewVariance(tx, scope))),
});
