// The box plot of a group's multipliers (METRICS.md "Variance view"): spread() gives the
// quartiles and the 1.5-IQR outliers; the whiskers reach the most extreme values still inside
// the fences, so the box, its whiskers and the outlier dots together show every person.
import { type Spread, spread } from './variance.ts';

export interface BoxPlot extends Spread {
  /** Smallest and largest values within [q1 − 1.5 IQR, q3 + 1.5 IQR]; null with no values. */
  whiskerLow: number | null;
  whiskerHigh: number | null;
}

export function boxPlot(values: readonly number[]): BoxPlot {
  const s = spread(values);
  if (s.iqr === null) return { ...s, whiskerLow: null, whiskerHigh: null };
  const low = s.q1! - 1.5 * s.iqr;
  const high = s.q3! + 1.5 * s.iqr;
  const inside = values.filter((v) => v >= low && v <= high);
  return { ...s, whiskerLow: Math.min(...inside), whiskerHigh: Math.max(...inside) };
}
