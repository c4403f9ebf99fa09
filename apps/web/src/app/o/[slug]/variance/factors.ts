// How the page names, formats and reads the four factors of the variance view. The figures
// themselves come from @parallax/metrics; this file only says them in words.
import type { TVarianceFactor } from '@parallax/evidence';
import type { MetricTerm } from '@parallax/metrics';

export interface FactorLabel {
  /** Axis and column title. */
  title: string;
  /** Said in a sentence: "higher <noun> goes with …". */
  noun: string;
  /** The METRICS.md term the figure cites. */
  term: MetricTerm;
  format: (value: number) => string;
}

const percent = (v: number) => `${Math.round(v * 100)}%`;

export const FACTORS: Record<TVarianceFactor, FactorLabel> = {
  meanConcurrency: {
    title: 'Mean concurrency (sessions)',
    noun: 'concurrency',
    term: 'Time-weighted mean concurrency',
    format: (v) => v.toFixed(1),
  },
  interventionRate: {
    // Finished sessions with at least one intervention, of finished sessions.
    title: 'Intervention rate (sessions steered)',
    noun: 'intervention rate',
    term: 'Intervention',
    format: percent,
  },
  prWithinSlaRate: {
    title: 'PR within SLA',
    noun: 'PR-within-SLA rate',
    term: 'PR within SLA rate',
    format: percent,
  },
  complexShare: {
    // METRICS.md names the task-type mix only in the variance view; here: complex of finished sessions.
    title: 'Complex tasks (share of finished)',
    noun: 'share of complex tasks',
    term: 'Variance view',
    format: percent,
  },
};

/** The order of the scatters and columns (a value import of @parallax/evidence would pull the server into the bundle). */
export const FACTOR_ORDER = Object.keys(FACTORS) as TVarianceFactor[];

export function formatMultiplier(value: number | null): string {
  return value === null ? '—' : `${value.toFixed(2)}×`;
}

/**
 * A plain-language reading of a Spearman rho, so a lead need not know the statistic:
 * "higher concurrency goes with higher multipliers (rho 0.62)".
 */
export function readCorrelation(factor: TVarianceFactor, rho: number | null, pairs: number): string {
  const { noun } = FACTORS[factor];
  if (rho === null) {
    return pairs < 3
      ? `Too few people with both figures to rank (${pairs}; at least 3 needed).`
      : `No variation to rank: everyone has the same ${noun} or multiplier.`;
  }
  const r = rho.toFixed(2);
  const size = Math.abs(rho);
  if (size < 0.2) return `The ${noun} shows little relation to the multiplier (rho ${r}).`;
  const strength = size >= 0.5 ? '' : 'somewhat ';
  const direction = rho > 0 ? 'higher' : 'lower';
  return `Higher ${noun} goes ${strength}with ${direction} multipliers (rho ${r}).`;
}
