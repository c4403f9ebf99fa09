// The maturity report: the org and each team against the five criteria, and what to do next.
import { maturityReport } from '@parallax/evidence';
import { createTRPCRouter, orgProcedure } from '../trpc.ts';
import { scopeOf, ZEvidenceScopeInput } from './evidence-scope.ts';

export const reportRouter = createTRPCRouter({
  // The report opens its own transactions (its statements run side by side), so the scope is
  // resolved in one that has ended by then.
  maturity: orgProcedure.input(ZEvidenceScopeInput).query(async ({ ctx, input }) => {
    const scope = await scopeOf(ctx, input);
    return {
      scope: {
        from: scope.from,
        to: scope.to,
        previous: scope.previous,
        timeZone: scope.timeZone,
        demo: scope.demo,
        repositoryId: scope.repositoryId,
        repositoryName: scope.repositoryName,
      },
      generatedAt: scope.now,
      ...(await maturityReport(ctx.tenant, scope)),
    };
  }),
});
