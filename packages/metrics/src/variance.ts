// METRICS.md "Throughput and variance": the multiplier and the statistics of its spread
// across a group (count, median, IQR, coefficient of variation, outliers, rank correlation).
import { median } from './concurrency.ts';

/** Throughput multiplier = mean weekly throughput over the period / baseline; null without a usable baseline. */
export function throughputMultiplier(weeklyThroughput: readonly number[], baseline: number | null): number | null {
  if (baseline === null || baseline <= 0 || weeklyThroughput.length === 0) return null;
  return mean(weeklyThroughput)! / baseline;
}

export function mean(values: readonly number[]): number | null {
  return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
}

/** Quartile by linear interpolation between closest ranks (the usual "type 7"). */
export function quantile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export interface Spread {
  count: number;
  median: number | null;
  q1: number | null;
  q3: number | null;
  iqr: number | null;
  mean: number | null;
  /** Population standard deviation / mean; null when the mean is 0 or there is nothing. */
  coefficientOfVariation: number | null;
  /** Values beyond 1.5 IQR from the quartiles. */
  outliers: number[];
}

export function spread(values: readonly number[]): Spread {
  const q1 = quantile(values, 0.25);
  const q3 = quantile(values, 0.75);
  const m = mean(values);
  const iqr = q1 !== null && q3 !== null ? q3 - q1 : null;
  const sd = m === null ? null : Math.sqrt(values.reduce((a, v) => a + (v - m) ** 2, 0) / values.length);
  return {
    count: values.length,
    median: median(values),
    q1,
    q3,
    iqr,
    mean: m,
    coefficientOfVariation: m && sd !== null ? sd / m : null,
    outliers: iqr === null ? [] : values.filter((v) => v < q1! - 1.5 * iqr || v > q3! + 1.5 * iqr),
  };
}

/** Ranks with ties sharing their mean rank (1-based). */
function ranks(values: readonly number[]): number[] {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const out = new Array<number>(values.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && order[j + 1]![0] === order[i]![0]) j++;
    for (let k = i; k <= j; k++) out[order[k]![1]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return out;
}

/** Spearman's rank correlation (Pearson on tie-averaged ranks); null with fewer than 3 pairs or no variation. */
export function rankCorrelation(xs: readonly number[], ys: readonly number[]): number | null {
  if (xs.length !== ys.length) throw new RangeError('rankCorrelation needs pairs');
  if (xs.length < 3) return null;
  const rx = ranks(xs);
  const ry = ranks(ys);
  const mx = mean(rx)!;
  const my = mean(ry)!;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < rx.length; i++) {
    sxy += (rx[i]! - mx) * (ry[i]! - my);
    sxx += (rx[i]! - mx) ** 2;
    syy += (ry[i]! - my) ** 2;
  }
  return sxx === 0 || syy === 0 ? null : sxy / Math.sqrt(sxx * syy);
}
