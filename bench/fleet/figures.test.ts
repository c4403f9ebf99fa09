import { describe, expect, it } from 'vitest';
import { computeFleetFigures, distribution } from './figures.ts';
import type { SessionTimeline } from './workload.ts';

const session = (id: string, at: Record<string, number>, status = 'SUCCEEDED'): SessionTimeline => ({
  sessionId: id,
  status,
  failureReason: null,
  hasPullRequest: status === 'SUCCEEDED',
  sandboxMode: 'bubblewrap',
  at,
});

describe('the fleet benchmark figures', () => {
  it('takes nearest-rank percentiles', () => {
    const d = distribution(Array.from({ length: 100 }, (_, k) => 100 - k));
    expect(d).toMatchObject({ n: 100, p50: 50, p99: 99, min: 1, max: 100, mean: 50.5, p95: 95 });
    expect(distribution([])).toBeNull();
  });

  it('measures overhead as admitted to PR opened less the sleep, against the bare baseline', () => {
    const figures = computeFleetFigures({
      timelines: [
        session('a', {
          QUEUED: 0,
          ADMITTED: 100,
          STARTED: 600,
          AGENT_EXITED: 1700,
          CHECKS_PASSED: 1800,
          PR_OPENED: 2100,
          CLEANED_UP: 2400,
        }),
        session('b', {
          QUEUED: 50,
          ADMITTED: 100,
          STARTED: 900,
          AGENT_EXITED: 2000,
          CHECKS_PASSED: 2200,
          PR_OPENED: 3100,
          CLEANED_UP: 3300,
        }),
      ],
      alone: [session('w', { QUEUED: -100, ADMITTED: 0, PR_OPENED: 1400, CLEANED_UP: 1600 })],
      sleepMs: 1000,
      baselineMs: [50, 40, 60],
      floorMs: [1300, 1200, 1250, 1400],
      dispatchMs: 1000,
    });
    expect(figures.admissionToStartMs).toMatchObject({ p50: 500, p99: 800 });
    expect(figures.overheadMs).toMatchObject({ p50: 1000, p99: 2000 });
    expect(figures.unloadedOverheadMs).toBe(400);
    expect(figures.overheadRatio).toEqual({ underLoad: 20, unloaded: 8 });
    expect(figures.phasesMs.agentLessSleep).toMatchObject({ p50: 100, p99: 100 });
    // Two PRs between the first QUEUED (0) and the last PR_OPENED (3100).
    expect(figures.throughput.sessionsPerMinute).toBeCloseTo(2 / (3100 / 60_000));
  });

  it('sets the product against the fair floor, both less the sleep: admitted and queued to cleaned up', () => {
    const figures = computeFleetFigures({
      timelines: [
        session('a', { QUEUED: 0, ADMITTED: 100, PR_OPENED: 2100, CLEANED_UP: 2400 }),
        session('b', { QUEUED: 50, ADMITTED: 100, PR_OPENED: 3100, CLEANED_UP: 3300 }),
        // Its copy was not removed yet when the timelines were read: in no cleaned-up figure.
        session('c', { QUEUED: 0, ADMITTED: 100, PR_OPENED: 2000 }),
      ],
      alone: [
        session('w1', {
          QUEUED: -100,
          ADMITTED: 0,
          WORKSPACE_READY: 100,
          STARTED: 120,
          AGENT_EXITED: 1200,
          CHECKS_PASSED: 1300,
          PR_OPENED: 1400,
          CLEANED_UP: 1600,
        }),
        session('w2', {
          QUEUED: 0,
          ADMITTED: 0,
          WORKSPACE_READY: 80,
          STARTED: 100,
          AGENT_EXITED: 1150,
          CHECKS_PASSED: 1200,
          PR_OPENED: 1200,
          CLEANED_UP: 1500,
        }),
        // No WORKSPACE_READY: it counts in the phases it has.
        session('w3', {
          QUEUED: 0,
          ADMITTED: 50,
          STARTED: 400,
          AGENT_EXITED: 1500,
          CHECKS_PASSED: 1700,
          PR_OPENED: 2000,
          CLEANED_UP: 2300,
        }),
        // Failed: in none of the alone figures.
        session('w4', { QUEUED: 0, ADMITTED: 0, STARTED: 10, AGENT_EXITED: 20, CLEANED_UP: 9000 }, 'FAILED'),
      ],
      sleepMs: 1000,
      baselineMs: [50],
      floorMs: [1300, 1200, 1250, 1400],
      dispatchMs: 1000,
    });
    expect(figures.floorMs).toMatchObject({ n: 4, p50: 1250, p95: 1400 });
    expect(figures.floorLessSleepMs).toMatchObject({ p50: 250, p95: 400, min: 200 });
    // a: 2300 − 1000 and 2400 − 1000; b: 3200 − 1000 and 3250 − 1000.
    expect(figures.admittedToCleanedUpMs).toMatchObject({ n: 2, p50: 1300, max: 2200 });
    expect(figures.queuedToCleanedUpMs).toMatchObject({ n: 2, p50: 1400, max: 2250 });
    // Medians of the three alone: admitted [500, 600, 1250], queued [500, 700, 1300].
    expect(figures.alone).toMatchObject({ n: 3, admittedToCleanedUpMs: 600, queuedToCleanedUpMs: 700 });
    expect(figures.alone.phasesMs).toEqual({
      workspace: 80, // [80, 100]
      'agent start': 20, // [20, 20]
      'agent less the sleep': 80, // [50, 80, 100]
      checks: 100, // [50, 100, 200]
      'commit, push, PR': 100, // [0, 100, 300]
      'end, clean up': 300, // [200, 300, 300]
    });
    expect(figures.floorRatio.underLoad.admittedToCleanedUp).toBeCloseTo(1300 / 250);
    expect(figures.floorRatio.underLoad.queuedToCleanedUp).toBeCloseTo(1400 / 250);
    expect(figures.floorRatio.alone.admittedToCleanedUp).toBeCloseTo(600 / 250);
    expect(figures.floorRatio.alone.queuedToCleanedUp).toBeCloseTo(700 / 250);
  });

  it('lists failed and unfinished sessions, and counts an ADMITTED dated before its QUEUED', () => {
    const figures = computeFleetFigures({
      timelines: [
        session('ok', { QUEUED: 100, ADMITTED: 40, STARTED: 500, PR_OPENED: 2000 }),
        { ...session('failed', { QUEUED: 0, ADMITTED: 10 }, 'FAILED'), failureReason: 'checks failed: true' },
        session('stuck', { QUEUED: 0 }, 'QUEUED'),
      ],
      alone: [],
      sleepMs: 1000,
      baselineMs: [],
      floorMs: [],
      dispatchMs: 500,
    });
    expect(figures.sessions).toMatchObject({ dispatched: 3, succeeded: 1, failed: 2 });
    expect(figures.sessions.failures).toEqual([
      { sessionId: 'failed', status: 'FAILED', reason: 'checks failed: true' },
      { sessionId: 'stuck', status: 'QUEUED', reason: 'had not ended when the benchmark stopped waiting' },
    ]);
    expect(figures.admittedBeforeQueued).toBe(1);
    expect(figures.overheadRatio).toEqual({ underLoad: null, unloaded: null });
    expect(figures.floorMs).toBeNull();
    expect(figures.floorRatio).toEqual({
      underLoad: { admittedToCleanedUp: null, queuedToCleanedUp: null },
      alone: { admittedToCleanedUp: null, queuedToCleanedUp: null },
    });
  });
});
