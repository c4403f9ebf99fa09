// The maturity report: the org and each team against the five criteria, and what to do next.
import { maturityReport } from '@parallax/evidence';
import { createTRPCRouter, orgProcedure } from '../trpc.ts';
import { withScope, ZEvidenceScopeInput } from './evidence-scope.ts';

export const reportRouter = createTRPCRouter({
  maturity: orgProcedure.input(ZEvidenceScopeInput).query(({ ctx, input }) =>
    withScope(ctx, input, async (tx, scope) => ({
      scope: {
        from: scope.from,
        to: scope.to,
        previous: scope.previous,
        timeZone: scope.timeZone,
        demo: scope.demo,
        repositoryName: scope.repositoryName,
      },
      generatedAt: scope.now,
      ...(await maturityReport(tx, scope)),
    })),
  ),
});
