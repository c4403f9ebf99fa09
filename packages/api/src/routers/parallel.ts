// The Parallel sessions page (issue 9): each procedure resolves the page scope (org, team,
// repository, period; who may see whom) and makes one call into @parallax/evidence.
import {
  getConcurrencyHeatmap,
  getDeveloperDay,
  getLiveConcurrency,
  getParallelDistribution,
  HEATMAP_PAGE,
  HEATMAP_PAGE_MAX,
} from '@parallax/evidence/parallel';
import { z } from 'zod';
import { createTRPCRouter, orgProcedure } from '../trpc.ts';
import { withScope, ZEvidenceScopeInput } from './evidence-scope.ts';

const scoped = orgProcedure.input(ZEvidenceScopeInput);

export const parallelRouter = createTRPCRouter({
  live: scoped.query(({ ctx, input }) => withScope(ctx, input, getLiveConcurrency)),
  /** One page of developers (ranked by their period max), with the scope's totals. */
  heatmap: orgProcedure
    .input(
      ZEvidenceScopeInput.extend({
        offset: z.number().int().min(0).max(1_000_000).default(0),
        limit: z
          .number()
          .int()
          .min(1)
          .max(HEATMAP_PAGE_MAX, { message: `Ask for at most ${HEATMAP_PAGE_MAX} developers a page` })
          .default(HEATMAP_PAGE),
      }),
    )
    .query(({ ctx, input }) => withScope(ctx, input, (tx, scope) => getConcurrencyHeatmap(tx, scope, input))),
  distribution: scoped.query(({ ctx, input }) => withScope(ctx, input, getParallelDistribution)),
  developerDay: orgProcedure
    .input(
      ZEvidenceScopeInput.extend({
        developerId: z.string().min(1).max(64),
        day: z.iso.date({ message: 'Give a day as YYYY-MM-DD' }).max(10, { message: 'Use at most 10 characters (YYYY-MM-DD)' }),
      }),
    )
    .query(({ ctx, input }) => withScope(ctx, input, (tx, scope) => getDeveloperDay(tx, scope, input))),
});
