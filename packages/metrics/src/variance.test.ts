// The variance view's statistics on hand-computed fixtures.
import { describe, expect, it } from 'vitest';
import { quantile, rankCorrelation, spread, throughputMultiplier } from './variance.ts';

describe('throughput multiplier', () => {
  it('is the mean weekly throughput over the baseline', () => {
    expect(throughputMultiplier([3, 6, 9], 2)).toBe(3);
    expect(throughputMultiplier([3, 6], null)).toBeNull(); // no single-agent period and no org baseline
    expect(throughputMultiplier([3], 0)).toBeNull();
    expect(throughputMultiplier([], 2)).toBeNull();
  });
});

describe('spread of a group', () => {
  it('has quartiles by interpolation, the IQR, the coefficient of variation and 1.5-IQR outliers', () => {
    // 1, 2, 3, 4, 20: q1 = 2, median 3, q3 = 4, IQR 2 → fences −1 and 7: 20 is an outlier.
    // mean 6; deviations² 25+16+9+4+196 = 250; sd = √50; cv = √50 / 6.
    const s = spread([4, 1, 20, 3, 2]);
    expect(s).toMatchObject({ count: 5, median: 3, q1: 2, q3: 4, iqr: 2, mean: 6, outliers: [20] });
    expect(s.coefficientOfVariation).toBeCloseTo(Math.sqrt(50) / 6, 12);
    expect(quantile([1, 2, 3, 4], 0.25)).toBe(1.75);
    expect(spread([])).toMatchObject({ count: 0, median: null, iqr: null, coefficientOfVariation: null, outliers: [] });
    expect(spread([0, 0]).coefficientOfVariation).toBeNull();
  });
});

describe('rank correlation', () => {
  it('is 1 for any increasing relation, −1 for a decreasing one, and handles ties', () => {
    expect(rankCorrelation([1, 2, 3, 4], [10, 100, 1000, 10000])).toBeCloseTo(1, 12);
    expect(rankCorrelation([1, 2, 3, 4], [4, 3, 2, 1])).toBeCloseTo(-1, 12);
    // x ranks 1,2,3,4; y = 1,2,2,3 → ranks 1, 2.5, 2.5, 4: Σdxdy = 4.5, Σdx² = 5, Σdy² = 4.5 → 4.5/√22.5.
    expect(rankCorrelation([1, 2, 3, 4], [1, 2, 2, 3])).toBeCloseTo(4.5 / Math.sqrt(22.5), 12);
    expect(rankCorrelation([1, 2], [1, 2])).toBeNull();
    expect(rankCorrelation([1, 2, 3], [5, 5, 5])).toBeNull();
    expect(() => rankCorrelation([1, 2, 3], [1, 2])).toThrow(/pairs/);
  });
});
