// The Parallel sessions page (issue 9): each procedure resolves the page scope (org, team,
// repository, period; who may see whom) and makes one call into @parallax/evidence.
import type { Tx } from '@parallax/db';
import { type EvidenceScope, resolveScope, ZEvidenceScope } from '@parallax/evidence';
import { getConcurrencyHeatmap, getDeveloperDay, getLiveConcurrency, getParallelDistribution } from '@parallax/evidence/parallel';
import { z } from 'zod';
import { createTRPCRouter, orgProcedure, ZOrgScoped } from '../trpc.ts';

const ZScope = ZOrgScoped.extend(ZEvidenceScope.shape);

const scoped = orgProcedure.input(ZScope).use(({ ctx, input, next }) =>
  next({
    ctx: {
      /** Resolves the scope and runs `work` in the same tenant transaction. */
      inScope: <T>(work: (tx: Tx, scope: EvidenceScope) => Promise<T>) =>
        ctx.tenant(async (tx) => work(tx, await resolveScope(tx, { userId: ctx.auth.userId, role: ctx.membership.role }, input))),
    },
  }),
);

export const parallelRouter = createTRPCRouter({
  live: scoped.query(({ ctx }) => ctx.inScope(getLiveConcurrency)),
  heatmap: scoped.query(({ ctx }) => ctx.inScope(getConcurrencyHeatmap)),
  distribution: scoped.query(({ ctx }) => ctx.inScope(getParallelDistribution)),
  developerDay: scoped
    .input(z.object({ developerId: z.string().min(1).max(64), day: z.iso.date({ message: 'day: a day as YYYY-MM-DD' }) }))
    .query(({ ctx, input }) => ctx.inScope((tx, scope) => getDeveloperDay(tx, scope, input))),
});
