// Concurrency on hand-computed fixtures (METRICS.md "Sessions and concurrency").
import { describe, expect, it } from 'vitest';
import { dailyConcurrency, groupParallelCriterion, median, parallelCriterion, type SessionTimes } from './concurrency.ts';

const HOUR = 3_600_000;
const at = (iso: string) => new Date(iso);
const session = (developerId: string, startedAt: string | null, endedAt: string | null): SessionTimes => ({
  developerId,
  startedAt: startedAt ? at(startedAt) : null,
  endedAt: endedAt ? at(endedAt) : null,
});
const utcDay = (day: string, now = '2026-12-31T00:00:00Z') => ({ from: day, to: day, timeZone: 'UTC', now: at(now) });

describe('daily concurrency', () => {
  it('is the most sessions active at one instant; the mean weighs time with at least one running', () => {
    // 09–11, 10–12, 10:30–10:45: 1 then 2, 3, 2, 1 → max 3; area 1+1+0.75+0.5+1 = 4.25 h over 3 h.
    const rows = dailyConcurrency(
      [
        session('ana', '2026-05-04T09:00:00Z', '2026-05-04T11:00:00Z'),
        session('ana', '2026-05-04T10:00:00Z', '2026-05-04T12:00:00Z'),
        session('ana', '2026-05-04T10:30:00Z', '2026-05-04T10:45:00Z'),
      ],
      utcDay('2026-05-04'),
    );
    expect(rows).toEqual([{ developerId: 'ana', day: '2026-05-04', maxConcurrency: 3, meanConcurrency: 4.25 / 3, activeMs: 3 * HOUR }]);
  });

  it('does not count a session that ends as the next starts as overlapping it', () => {
    const [row] = dailyConcurrency(
      [session('ana', '2026-05-04T09:00:00Z', '2026-05-04T10:00:00Z'), session('ana', '2026-05-04T10:00:00Z', '2026-05-04T11:00:00Z')],
      utcDay('2026-05-04'),
    );
    expect(row).toMatchObject({ maxConcurrency: 1, meanConcurrency: 1, activeMs: 2 * HOUR });
  });

  it('splits a session across midnight of the org’s zone, not of UTC', () => {
    // 21:00–23:30 UTC is 23:00–01:30 in Berlin (summer time): 1 h on the 4th, 1.5 h on the 5th.
    const rows = dailyConcurrency([session('ana', '2026-05-04T21:00:00Z', '2026-05-04T23:30:00Z')], {
      from: '2026-05-04',
      to: '2026-05-05',
      timeZone: 'Europe/Berlin',
      now: at('2026-12-31T00:00:00Z'),
    });
    expect(rows.map((r) => [r.day, r.activeMs, r.maxConcurrency])).toEqual([
      ['2026-05-04', 1 * HOUR, 1],
      ['2026-05-05', 1.5 * HOUR, 1],
    ]);
  });

  it('counts a whole day across a daylight-saving change as 23 or 25 hours', () => {
    const berlin = { timeZone: 'Europe/Berlin', now: at('2026-12-31T00:00:00Z') };
    // Local midnight to midnight: 28 March 23:00 UTC → 29 March 22:00 UTC, and 24 Oct 22:00 → 25 Oct 23:00.
    const spring = dailyConcurrency([session('ana', '2026-03-28T23:00:00Z', '2026-03-29T22:00:00Z')], {
      ...berlin,
      from: '2026-03-29',
      to: '2026-03-29',
    });
    const autumn = dailyConcurrency([session('ana', '2026-10-24T22:00:00Z', '2026-10-25T23:00:00Z')], {
      ...berlin,
      from: '2026-10-25',
      to: '2026-10-25',
    });
    expect(spring[0]?.activeMs).toBe(23 * HOUR);
    expect(autumn[0]?.activeMs).toBe(25 * HOUR);
  });

  it('counts a running session up to now, and nothing after now', () => {
    const rows = dailyConcurrency([session('ana', '2026-05-04T10:00:00Z', null), session('ana', '2026-05-04T11:00:00Z', null)], {
      from: '2026-05-04',
      to: '2026-05-05',
      timeZone: 'UTC',
      now: at('2026-05-04T12:00:00Z'),
    });
    expect(rows).toEqual([
      { developerId: 'ana', day: '2026-05-04', maxConcurrency: 2, meanConcurrency: 1.5, activeMs: 2 * HOUR },
      { developerId: 'ana', day: '2026-05-05', maxConcurrency: 0, meanConcurrency: null, activeMs: 0 },
    ]);
  });

  it('leaves out queued time and sessions that never started, and keeps a developer with no sessions', () => {
    const rows = dailyConcurrency([session('ana', null, '2026-05-04T10:00:00Z'), session('ana', null, null)], utcDay('2026-05-04'), [
      'ana',
      'bo',
    ]);
    expect(rows).toEqual([
      { developerId: 'ana', day: '2026-05-04', maxConcurrency: 0, meanConcurrency: null, activeMs: 0 },
      { developerId: 'bo', day: '2026-05-04', maxConcurrency: 0, meanConcurrency: null, activeMs: 0 },
    ]);
  });

  it('gives every day of an empty period a row', () => {
    expect(
      dailyConcurrency([], { from: '2026-05-01', to: '2026-05-03', timeZone: 'UTC', now: at('2026-06-01T00:00:00Z') }, ['bo']),
    ).toHaveLength(3);
  });
});

describe('criterion 3: 3–5 parallel sessions', () => {
  const day = (developerId: string, d: string, maxConcurrency: number) => ({
    developerId,
    day: d,
    maxConcurrency,
    meanConcurrency: maxConcurrency ? 1 : null,
    activeMs: maxConcurrency ? HOUR : 0,
  });

  it('holds for a developer whose median daily max over active days is 3 or more', () => {
    // Active days 3, 1, 4 (the idle day does not count): median 3.
    expect(parallelCriterion([day('ana', 'a', 3), day('ana', 'b', 0), day('ana', 'c', 1), day('ana', 'd', 4)])).toEqual({
      activeDays: 3,
      medianDailyMax: 3,
      meets: true,
    });
    // 1, 2, 3, 5: median 2.5.
    expect(parallelCriterion([day('bo', 'a', 3), day('bo', 'b', 1), day('bo', 'c', 2), day('bo', 'd', 5)])).toMatchObject({
      medianDailyMax: 2.5,
      meets: false,
    });
    expect(parallelCriterion([day('cy', 'a', 0)])).toEqual({ activeDays: 0, medianDailyMax: null, meets: false });
  });

  it('for a group, is the share of its active developers who meet it', () => {
    const rows = [day('ana', 'a', 3), day('ana', 'b', 4), day('bo', 'a', 1), day('bo', 'b', 2), day('cy', 'a', 0)];
    expect(groupParallelCriterion(rows)).toEqual({
      activeDevelopers: 2,
      meeting: 1,
      share: 0.5,
      medians: [
        { developerId: 'ana', medianDailyMax: 3.5 },
        { developerId: 'bo', medianDailyMax: 1.5 },
      ],
    });
    expect(groupParallelCriterion([day('cy', 'a', 0)]).share).toBeNull();
  });

  it('takes the mean of the two middle values for an even count', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
  });
});
