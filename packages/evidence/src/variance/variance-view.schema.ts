// What `variance.view` returns (issue 9 "Variance"): the group's spread of throughput
// multipliers, its people as the visibility rule allows, and the rank correlations.
import { z } from 'zod';

const ZRate = z.number().nullable();

export const ZVariancePerson = z.object({
  /** A stable key for the chart: the user id when named, else an ordinal (never an id). */
  key: z.string(),
  name: z.string().nullable(),
  isYou: z.boolean(),
  isActive: z.boolean(),
  isOutlier: z.boolean(),
  multiplier: ZRate,
  meanWeeklyThroughput: ZRate,
  meanWeeklySucceeded: ZRate,
  baseline: ZRate,
  baselineWeeks: z.number().int(),
  isOrgBaseline: z.boolean(),
  meanConcurrency: ZRate,
  interventionRate: ZRate,
  prWithinSlaRate: ZRate,
  complexShare: ZRate,
});
export type TVariancePerson = z.infer<typeof ZVariancePerson>;

export const VARIANCE_FACTORS = ['meanConcurrency', 'interventionRate', 'prWithinSlaRate', 'complexShare'] as const;
export type TVarianceFactor = (typeof VARIANCE_FACTORS)[number];

export const ZVarianceView = z.object({
  from: z.string(),
  to: z.string(),
  /** Whole ISO weeks of the period the throughput is averaged over. */
  weeks: z.number().int(),
  personLevel: z.enum(['named', 'anonymous', 'none']),
  minGroupSize: z.number().int(),
  groupSize: z.number().int(),
  activeCount: z.number().int(),
  /** People with a multiplier whose baseline is the org's (no single-agent week of their own). */
  orgBaselineCount: z.number().int(),
  orgBaseline: ZRate,
  box: z.object({
    count: z.number().int(),
    median: ZRate,
    q1: ZRate,
    q3: ZRate,
    iqr: ZRate,
    mean: ZRate,
    coefficientOfVariation: ZRate,
    whiskerLow: ZRate,
    whiskerHigh: ZRate,
    outlierCount: z.number().int(),
  }),
  /** Null when hidden: a group below the minimum size, to a role that may not see individuals. */
  correlations: z.array(z.object({ factor: z.enum(VARIANCE_FACTORS), rho: ZRate, pairs: z.number().int() })).nullable(),
  people: z.array(ZVariancePerson),
  /** The viewer's own figures, always (METRICS.md: developers always see their own). */
  you: ZVariancePerson.nullable(),
});
export type TVarianceView = z.infer<typeof ZVarianceView>;
