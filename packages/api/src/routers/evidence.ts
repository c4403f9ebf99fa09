// The Evidence page: the five L4 criteria with their trend, and the rows behind each.
import { CSV_ROW_LIMIT, type EvidenceScope, evidenceRows, evidenceSummary, toCsv, ZCriterion } from '@parallax/evidence';
import { z } from 'zod';
import { createTRPCRouter, orgProcedure } from '../trpc.ts';
import { withScope, ZEvidenceScopeInput } from './evidence-scope.ts';

const ZRowsInput = ZEvidenceScopeInput.extend({
  criterion: ZCriterion,
  cursor: z.number().int().min(0).max(1_000_000).optional(),
  limit: z.number().int().min(1).max(200).optional(),
});

/** What the page says about the scope it shows. */
const scopeInfo = (s: EvidenceScope) => ({
  from: s.from,
  to: s.to,
  previous: s.previous,
  timeZone: s.timeZone,
  demo: s.demo,
  teamName: s.teamName,
  repositoryName: s.repositoryName,
  groupSize: s.groupSize,
  minGroupSize: s.minGroupSize,
  seesIndividuals: s.seesIndividuals,
});

export const evidenceRouter = createTRPCRouter({
  summary: orgProcedure
    .input(ZEvidenceScopeInput)
    .query(({ ctx, input }) =>
      withScope(ctx, input, async (tx, scope) => ({ scope: scopeInfo(scope), ...(await evidenceSummary(tx, scope)) })),
    ),
  rows: orgProcedure
    .input(ZRowsInput)
    .query(({ ctx, input }) =>
      withScope(ctx, input, (tx, scope) =>
        evidenceRows(tx, scope, input.criterion, { offset: input.cursor ?? 0, limit: input.limit ?? 50 }),
      ),
    ),
  /** Exactly the rows of `rows`, all of them (up to CSV_ROW_LIMIT), as a CSV file's text. */
  rowsCsv: orgProcedure.input(ZRowsInput.omit({ cursor: true, limit: true })).query(({ ctx, input }) =>
    withScope(ctx, input, async (tx, scope) => {
      const result = await evidenceRows(tx, scope, input.criterion, { offset: 0, limit: CSV_ROW_LIMIT });
      const where = [scope.teamName, scope.repositoryName]
        .filter(Boolean)
        .join('-')
        .replace(/[^\w-]+/g, '_');
      return {
        filename: `parallax-${input.criterion}-${scope.from}-${scope.to}${where ? `-${where}` : ''}.csv`,
        csv: toCsv(result),
        rows: result.rows.length,
        truncated: result.total > result.rows.length,
      };
    }),
  ),
});
