// Days of the org's time zone, across daylight-saving changes (Europe/Berlin 2026: forward
// on 29 March at 02:00, back on 25 October at 03:00).
import { describe, expect, it } from 'vitest';
import { dayOf, daysFrom, isTimeZone, nextDay, startOfDay } from './days.ts';

const HOUR = 3_600_000;

describe('org-local days', () => {
  it('puts an instant on the day of the org’s zone, not of UTC', () => {
    expect(dayOf(new Date('2026-06-30T22:30:00Z'), 'Europe/Berlin')).toBe('2026-07-01');
    expect(dayOf(new Date('2026-06-30T22:30:00Z'), 'UTC')).toBe('2026-06-30');
    expect(dayOf(new Date('2026-07-01T03:00:00Z'), 'America/Los_Angeles')).toBe('2026-06-30');
  });

  it('starts a day at local midnight, and a day is 23 or 25 hours across a change', () => {
    expect(startOfDay('2026-07-01', 'Europe/Berlin').toISOString()).toBe('2026-06-30T22:00:00.000Z');
    expect(startOfDay('2026-01-15', 'Europe/Berlin').toISOString()).toBe('2026-01-14T23:00:00.000Z');
    const length = (day: string) => startOfDay(nextDay(day), 'Europe/Berlin').getTime() - startOfDay(day, 'Europe/Berlin').getTime();
    expect(length('2026-03-29')).toBe(23 * HOUR);
    expect(length('2026-10-25')).toBe(25 * HOUR);
    expect(length('2026-10-26')).toBe(24 * HOUR);
    expect(startOfDay('2026-03-08', 'America/New_York').toISOString()).toBe('2026-03-08T05:00:00.000Z');
    expect(startOfDay('2026-03-09', 'America/New_York').toISOString()).toBe('2026-03-09T04:00:00.000Z');
  });

  it('starts a day whose midnight the clocks skip at the first instant on it', () => {
    // America/Santiago springs forward at 00:00 on 6 September 2026: the day begins at 01:00 local (04:00 UTC).
    const start = startOfDay('2026-09-06', 'America/Santiago');
    expect(dayOf(start, 'America/Santiago')).toBe('2026-09-06');
    expect(dayOf(start.getTime() - 1, 'America/Santiago')).toBe('2026-09-05');
  });

  it('walks days by the calendar, across months and leap years', () => {
    expect(nextDay('2028-02-28')).toBe('2028-02-29');
    expect(nextDay('2026-12-31')).toBe('2027-01-01');
    expect(daysFrom('2026-02-27', '2026-03-02')).toEqual(['2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02']);
    expect(daysFrom('2026-03-02', '2026-03-01')).toEqual([]);
  });

  it('knows an IANA zone from a typo, and refuses a malformed day', () => {
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('Europe/Berlinn')).toBe(false);
    expect(() => startOfDay('2026-7-1', 'UTC')).toThrow(/not a day/);
  });
});
