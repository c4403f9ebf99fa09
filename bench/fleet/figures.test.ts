import { describe, expect, it } from 'vitest';
import { computeFleetFigures, distribution } from './figures.ts';
import type { SessionTimeline } from './workload.ts';

const session = (id: string, at: Record<string, number>, status = 'SUCCEEDED'): SessionTimeline => ({
  sessionId: id,
  status,
  failureReason: null,
  hasPullRequest: status === 'SUCCEEDED',
  at,
});

describe('the fleet benchmark figures', () => {
  it('takes nearest-rank percentiles', () => {
    const d = distribution(Array.from({ length: 100 }, (_, k) => 100 - k));
    expect(d).toMatchObject({ n: 100, p50: 50, p99: 99, min: 1, max: 100, mean: 50.5 });
    expect(distribution([])).toBeNull();
  });

  it('measures overhead as admitted to PR opened less the sleep, against the bare baseline', () => {
    const figures = computeFleetFigures({
      timelines: [
        session('a', { QUEUED: 0, ADMITTED: 100, STARTED: 600, AGENT_EXITED: 1700, CHECKS_PASSED: 1800, PR_OPENED: 2100 }),
        session('b', { QUEUED: 50, ADMITTED: 100, STARTED: 900, AGENT_EXITED: 2000, CHECKS_PASSED: 2200, PR_OPENED: 3100 }),
      ],
      warmup: session('w', { QUEUED: 0, ADMITTED: 0, PR_OPENED: 1400 }),
      sleepMs: 1000,
      baselineMs: [50, 40, 60],
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

  it('lists failed and unfinished sessions, and counts an ADMITTED dated before its QUEUED', () => {
    const figures = computeFleetFigures({
      timelines: [
        session('ok', { QUEUED: 100, ADMITTED: 40, STARTED: 500, PR_OPENED: 2000 }),
        { ...session('failed', { QUEUED: 0, ADMITTED: 10 }, 'FAILED'), failureReason: 'checks failed: true' },
        session('stuck', { QUEUED: 0 }, 'QUEUED'),
      ],
      warmup: null,
      sleepMs: 1000,
      baselineMs: [],
      dispatchMs: 500,
    });
    expect(figures.sessions).toMatchObject({ dispatched: 3, succeeded: 1, failed: 2 });
    expect(figures.sessions.failures).toEqual([
      { sessionId: 'failed', status: 'FAILED', reason: 'checks failed: true' },
      { sessionId: 'stuck', status: 'QUEUED', reason: 'had not ended when the benchmark stopped waiting' },
    ]);
    expect(figures.admittedBeforeQueued).toBe(1);
    expect(figures.overheadRatio).toEqual({ underLoad: null, unloaded: null });
  });
});
