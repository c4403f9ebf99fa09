// Throughput, baseline and multiplier on hand-computed rollup fixtures.
import { describe, expect, it } from 'vitest';
import { weekOf } from './criteria.ts';
import { type ConcurrencyDayFigures, developerThroughput, type ThroughputDay, wholeWeeks } from './throughput.ts';

const H = 3_600_000;

function ev(developerId: string, day: string, figures: Partial<ThroughputDay>): ThroughputDay {
  return {
    developerId,
    day,
    finished: 0,
    succeeded: 0,
    intervened: 0,
    complexFinished: 0,
    slaWithin: 0,
    slaBreached: 0,
    slaMissed: 0,
    prsMerged: 0,
    ...figures,
  };
}

function cc(
  developerId: string,
  day: string,
  maxConcurrency: number,
  activeMs = 2 * H,
  areaMs = activeMs * maxConcurrency,
): ConcurrencyDayFigures {
  return { developerId, day, maxConcurrency, activeMs, areaMs };
}

describe('org-local ISO weeks', () => {
  it('start on Monday, and a period counts only the weeks wholly inside it', () => {
    expect(weekOf('2026-03-29')).toBe('2026-03-23'); // a Sunday (Berlin's 23-hour day) belongs to the week before
    expect(weekOf('2026-03-30')).toBe('2026-03-30');
    expect(weekOf('2027-01-01')).toBe('2026-12-28'); // across a year boundary
    // Tue 3 Mar … Wed 25 Mar: the whole weeks are those of 9 and 16 March.
    expect(wholeWeeks('2026-03-03', '2026-03-25')).toEqual(['2026-03-09', '2026-03-16']);
    expect(wholeWeeks('2026-03-02', '2026-03-08')).toEqual(['2026-03-02']);
    expect(wholeWeeks('2026-03-03', '2026-03-08')).toEqual([]);
  });
});

describe('developerThroughput', () => {
  // Ana: single-agent in the weeks of 2 and 9 March (2 then 4 PRs merged: baseline 3), then
  // parallel in the period 16–29 March (6 and 12 PRs: mean 9, multiplier 3). The week of 23
  // March ends on Sunday 29 March, Berlin's 23-hour day: a week across a DST change is its seven days.
  const evidence: ThroughputDay[] = [
    ev('ana', '2026-03-03', { prsMerged: 2, finished: 2, succeeded: 2 }),
    ev('ana', '2026-03-10', { prsMerged: 4, finished: 4, succeeded: 4 }),
    ev('ana', '2026-03-17', {
      prsMerged: 6,
      finished: 8,
      succeeded: 6,
      intervened: 2,
      complexFinished: 2,
      slaWithin: 5,
      slaBreached: 1,
      slaMissed: 2,
    }),
    ev('ana', '2026-03-29', { prsMerged: 12, finished: 12, succeeded: 10, intervened: 1, complexFinished: 6, slaWithin: 12 }),
    // Bo never ran one agent at a time: no single-agent week, so the org baseline, flagged.
    ev('bo', '2026-03-18', { prsMerged: 3, finished: 3, succeeded: 3 }),
    // Cy: single-agent weeks before the period with 1 and 0 merged (baseline 0.5) and none in it.
    ev('cy', '2026-03-04', { prsMerged: 1, finished: 1, succeeded: 1 }),
  ];
  const concurrency: ConcurrencyDayFigures[] = [
    cc('ana', '2026-03-03', 1),
    cc('ana', '2026-03-10', 1),
    cc('ana', '2026-03-17', 3, 4 * H, 10 * H),
    cc('ana', '2026-03-29', 2, 2 * H, 3 * H),
    cc('bo', '2026-03-02', 2),
    cc('bo', '2026-03-18', 4),
    cc('cy', '2026-03-04', 1),
    cc('cy', '2026-03-11', 1),
    // A week without activity is not a single-agent week: a row with no active time is ignored.
    cc('cy', '2026-03-18', 0, 0, 0),
  ];
  const params = { from: '2026-03-16', to: '2026-03-29', developers: ['ana', 'bo', 'cy', 'dee'] };

  it('divides the mean weekly throughput of the period by the single-agent baseline', () => {
    const result = developerThroughput(evidence, concurrency, params);
    expect(result.weeks).toEqual(['2026-03-16', '2026-03-23']);
    const ana = result.developers[0]!;
    expect(ana).toEqual({
      developerId: 'ana',
      isActive: true,
      meanWeeklyThroughput: 9,
      meanWeeklySucceeded: 8,
      baselineWeeks: 2,
      baseline: 3,
      isOrgBaseline: false,
      multiplier: 3,
      meanConcurrency: 13 / 6, // (10 + 3) h of area over (4 + 2) h active
      interventionRate: 3 / 20,
      prWithinSlaRate: 17 / 20, // 5 + 12 within of 8 + 12 closed windows
      complexShare: 8 / 20,
    });
  });

  it('gives a developer without a single-agent week the org baseline, flagged', () => {
    const result = developerThroughput(evidence, concurrency, params);
    // Pooled single-agent weeks of the org: ana 2 and 4, cy 1 and 0 → mean 7 / 4.
    expect(result.orgBaseline).toBe(7 / 4);
    expect(result.orgBaselineWeeks).toBe(4);
    const bo = result.developers[1]!;
    expect(bo).toMatchObject({ baseline: 7 / 4, isOrgBaseline: true, baselineWeeks: 0, meanWeeklyThroughput: 1.5 });
    expect(bo.multiplier).toBeCloseTo(1.5 / (7 / 4), 12);
  });

  it('gives a developer inactive in the period, or without any session, no multiplier', () => {
    const result = developerThroughput(evidence, concurrency, params);
    expect(result.developers[2]).toMatchObject({ developerId: 'cy', isActive: false, baseline: 0.5, multiplier: null });
    expect(result.developers[3]).toEqual({
      developerId: 'dee',
      isActive: false,
      meanWeeklyThroughput: 0,
      meanWeeklySucceeded: 0,
      baselineWeeks: 0,
      baseline: 7 / 4,
      isOrgBaseline: true,
      multiplier: null,
      meanConcurrency: null,
      interventionRate: null,
      prWithinSlaRate: null,
      complexShare: null,
    });
  });

  it('has no throughput in a period without a whole week, and no baseline from a week still running', () => {
    const short = developerThroughput(evidence, concurrency, { ...params, from: '2026-03-17', to: '2026-03-20' });
    expect(short.weeks).toEqual([]);
    expect(short.developers[0]).toMatchObject({ meanWeeklyThroughput: null, multiplier: null });
    // Up to Wednesday 11 March, cy's week of 9 March is not over: only the week of 2 March counts.
    const early = developerThroughput(evidence, concurrency, { from: '2026-03-02', to: '2026-03-11', developers: ['cy'] });
    expect(early.developers[0]).toMatchObject({ baselineWeeks: 1, baseline: 1 });
  });

  it('has no baseline at all when nobody in the org ever ran a single agent', () => {
    const result = developerThroughput([ev('bo', '2026-03-18', { prsMerged: 3 })], [cc('bo', '2026-03-18', 2)], params);
    expect(result.orgBaseline).toBeNull();
    expect(result.developers[1]).toMatchObject({ baseline: null, isOrgBaseline: true, multiplier: null });
  });
});
