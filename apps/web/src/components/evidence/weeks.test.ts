import { describe, expect, it } from 'vitest';
import { partOfWeek, partOfWeekText, weekTick } from './weeks.ts';

// Weeks are ISO weeks named by their Monday; 2026-11-30 is a Monday, 2026-12-06 its Sunday.
describe('short weeks of a period', () => {
  const period = { from: '2026-11-08', to: '2026-12-07' };

  it('says which days of a week cut by the period it holds', () => {
    // The first: only its Sunday. The last: only its Monday (today, in the page's case).
    expect(partOfWeek('2026-11-02', period)).toEqual({ first: '2026-11-08', last: '2026-11-08' });
    expect(partOfWeek('2026-12-07', period)).toEqual({ first: '2026-12-07', last: '2026-12-07' });
    expect(partOfWeekText('2026-12-07', period)).toBe('Part of the week only: Dec 7');
  });

  it('leaves whole weeks alone, the period’s own bounds included', () => {
    expect(partOfWeek('2026-11-30', period)).toBeNull();
    expect(partOfWeek('2026-11-09', { from: '2026-11-09', to: '2026-11-15' })).toBeNull();
    expect(partOfWeekText('2026-11-30', period)).toBeNull();
  });

  it('names a range when the week holds several days, and marks the axis', () => {
    expect(partOfWeekText('2026-11-30', { from: '2026-12-02', to: '2026-12-31' })).toBe('Part of the week only: Dec 2–Dec 6');
    const tick = weekTick(period);
    expect(tick('2026-11-02')).toBe('Nov 2*');
    expect(tick('2026-11-09')).toBe('Nov 9');
  });
});
