// The box plot's whiskers on hand-computed values.
import { describe, expect, it } from 'vitest';
import { boxPlot } from './throughput-spread.ts';

describe('boxPlot', () => {
  it('stops the whiskers at the last values inside the 1.5-IQR fences', () => {
    // 1, 2, 3, 4, 20: q1 2, q3 4, IQR 2, fences −1 and 7: whiskers 1 and 4, 20 an outlier.
    expect(boxPlot([4, 1, 20, 3, 2])).toMatchObject({ q1: 2, q3: 4, whiskerLow: 1, whiskerHigh: 4, outliers: [20] });
    expect(boxPlot([2])).toMatchObject({ median: 2, whiskerLow: 2, whiskerHigh: 2, outliers: [] });
    expect(boxPlot([])).toMatchObject({ count: 0, whiskerLow: null, whiskerHigh: null });
  });
});
