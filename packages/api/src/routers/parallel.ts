// The Parallel sessions page (issue 9): each procedure resolves the page scope (org, team,
// repository, period; who may see whom) and makes one call into @parallax/evidence.
import { resolveScope, ZEvidenceScopeInput } from '@parallax/evidence';
import { getConcurrencyHeatmap, getDeveloperDay, getLiveConcurrency, getParallelDistribution } from '@parallax/evidence/parallel';
import { z } from 'zod';
import { createTRPCRouter, orgProcedure } from '../trpc.ts';

type ScopedCtx = Parameters<Parameters<typeof orgProcedure.query>[0]>[0]['ctx'];
type ScopeInput = z.infer<typeof ZEvidenceScopeInput>;

/** Resolves the scope and runs `work` in the same tenant transaction. */
function inScope<T>(ctx: ScopedCtx, input: ScopeInput, work: (tx: Parameters<Parameters<ScopedCtx['tenant']>[0]>[0], scope: Awaited<ReturnType<typeof resolveScope>>) => Promise<T>) {
  return ctx.tenant(async (tx) => work(tx, await resolveScope(tx, { orgId: input.orgId, userId: ctx.auth.userId, role: ctx.membership.role }, input)));
}

export const parallelRouter = createTRPCRouter({
  live: orgProcedure.input(ZEvidenceScopeInput).query(({ ctx, input }) => inScope(ctx, input, (tx, scope) => getLiveConcurrency(tx, scope))),
  heatmap: orgProcedure.input(ZEvidenceScopeInput).query(({ ctx, input }) => inScope(ctx, input, (tx, scope) => getConcurrencyHeatmap(tx, scope))),
  distribution: orgProcedure
    .input(ZEvidenceScopeInput)
    .query(({ ctx, input }) => inScope(ctx, input, (tx, scope) => getParallelDistribution(tx, scope))),
  developerDay: orgProcedure
    .input(ZEvidenceScopeInput.extend({ developerId: z.string().min(1).max(64), day: z.iso.date({ message: 'Give the day as YYYY-MM-DD' }) }))
    .query(({ ctx, input }) =>
      inScope(ctx, input, (tx, scope) => getDeveloperDay(tx, scope, { developerId: input.developerId, day: input.day })),
    ),
});
