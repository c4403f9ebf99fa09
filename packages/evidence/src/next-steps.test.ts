import { criteriaFromTotals, type CriteriaTotals } from '@parallax/metrics';
import { describe, expect, it } from 'vitest';
import { levelOf, nextSteps } from './next-steps.ts';

const totals = (over: Partial<CriteriaTotals>): CriteriaTotals => ({
  finished: 100,
  unassisted: 70,
  unattended: 12,
  sla_within: 95,
  sla_breached: 3,
  sla_missed: 2,
  sla_open: 1,
  prs_opened: 90,
  prs_merged: 80,
  merged_steered: 10,
  merged_reviewed: 50,
  merged_unreviewed: 20,
  review_latency_ms: 0,
  cost_usd: 0,
  cost_reported: 0,
  weeks: 4,
  unattended_weeks: 4,
  channels: ['CLI', 'WEB'],
  active_developers: 10,
  meeting_parallel: 6,
  ...over,
});
const context = { slaTarget: 0.9, developerCap: 5 };

describe('the maturity level and what to do next', () => {
  it('is L4 with nothing to do when all five hold', () => {
    const c = criteriaFromTotals(totals({}), 0.9);
    expect(levelOf(c)).toEqual({ level: 'L4', holding: 5 });
    expect(nextSteps(c, context)).toEqual([]);
  });

  it('names each failing criterion with how far it is from its target', () => {
    // 57 of 100 unassisted: 61 needed to be above 60%, so 4 short. 80 of 100 in time at 90%: 10 short.
    // 3 of 10 developers parallel: half is 5, so 2 more. 2 of 4 weeks unattended. One channel.
    const c = criteriaFromTotals(
      totals({
        unassisted: 57,
        sla_within: 80,
        sla_breached: 15,
        sla_missed: 5,
        meeting_parallel: 3,
        unattended_weeks: 2,
        channels: ['WEB'],
      }),
      0.9,
    );
    expect(levelOf(c)).toEqual({ level: 'below L4', holding: 0 });
    const steps = Object.fromEntries(nextSteps(c, context).map((s) => [s.criterion, s.gap]));
    expect(steps).toEqual({
      unattended: '2 of 4 weeks had no unattended session (12 of 100 finished sessions ran unattended).',
      channels: 'Only WEB was used: one channel of the two required.',
      parallel: '3 of 10 active developers run 3 or more sessions at once on a typical day; 2 more need to, for half.',
      completion: '57% of 100 finished sessions succeeded without intervention, against more than 60%: 4 more would have had to.',
      sla: '80% of 100 invocations had their PR in time, against 90%: 10 more needed to (15 late, 5 without a PR).',
    });
  });

  it('says plainly when there is nothing to measure', () => {
    const c = criteriaFromTotals(
      totals({
        finished: 0,
        unassisted: 0,
        unattended: 0,
        sla_within: 0,
        sla_breached: 0,
        sla_missed: 0,
        active_developers: 0,
        meeting_parallel: 0,
        unattended_weeks: 0,
        channels: [],
      }),
      0.9,
    );
    const steps = Object.fromEntries(nextSteps(c, context).map((s) => [s.criterion, s.gap]));
    expect(steps).toEqual({
      unattended: '4 of 4 weeks had no unattended session (0 of 0 finished sessions ran unattended).',
      channels: 'No invocation in the period.',
      parallel: 'No developer ran an agent in the period.',
      completion: 'No session finished in the period.',
      sla: 'No SLA window closed in the period.',
    });
  });
});
