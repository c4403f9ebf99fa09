// The page's plain-language reading of a rank correlation.
import { describe, expect, it } from 'vitest';
import { formatMultiplier, readCorrelation } from './factors.ts';

describe('readCorrelation', () => {
  it('says the direction and strength in words, with rho', () => {
    expect(readCorrelation('meanConcurrency', 0.62, 12)).toBe('Higher concurrency goes with higher multipliers (rho 0.62).');
    expect(readCorrelation('interventionRate', -0.35, 12)).toBe(
      'Higher intervention rate goes somewhat with lower multipliers (rho -0.35).',
    );
    expect(readCorrelation('complexShare', 0.1, 12)).toBe('The share of complex tasks shows little relation to the multiplier (rho 0.10).');
  });

  it('explains a missing rho instead of showing nothing', () => {
    expect(readCorrelation('prWithinSlaRate', null, 2)).toMatch(/Too few people .*\(2; at least 3 needed\)/);
    expect(readCorrelation('prWithinSlaRate', null, 8)).toMatch(/No variation to rank/);
    expect(formatMultiplier(null)).toBe('—');
    expect(formatMultiplier(2.345)).toBe('2.35×');
  });
});
