// The fleet benchmark's figures, computed from the sessions' timelines: pure, so what
// each number means is read here and nowhere else.
import type { SessionTimeline } from './workload.ts';

export interface Distribution {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  min: number;
  max: number;
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: number[], p: number): number {
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export function distribution(values: number[]): Distribution | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    mean: sorted.reduce((a, b) => a + b, 0) / sorted.length,
    min: sorted[0]!,
    max: sorted[sorted.length - 1]!,
  };
}

const span = (t: SessionTimeline, from: string, to: string): number | null => {
  const a = t.at[from];
  const b = t.at[to];
  return a === undefined || b === undefined ? null : b - a;
};
const present = (values: (number | null)[]): number[] => values.filter((v): v is number => v !== null);

/** A span of a session's timeline less the recipe's sleep: what the product spent on it besides the agent's own work. */
export function spanLessSleepMs(t: SessionTimeline, from: string, to: string, sleepMs: number): number | null {
  const total = span(t, from, to);
  return total === null ? null : total - sleepMs;
}

/** What the product spends on a session beyond the agent's own work: admitted to PR opened, less the recipe's sleep. */
export const sessionOverheadMs = (t: SessionTimeline, sleepMs: number): number | null =>
  spanLessSleepMs(t, 'ADMITTED', 'PR_OPENED', sleepMs);

/** A session's successive spans, ADMITTED to CLEANED_UP, as [name, from, to]; they add up to the whole. */
export const SESSION_PHASES = [
  ['workspace', 'ADMITTED', 'WORKSPACE_READY'],
  ['agent start', 'WORKSPACE_READY', 'STARTED'],
  ['agent less the sleep', 'STARTED', 'AGENT_EXITED'],
  ['checks', 'AGENT_EXITED', 'CHECKS_PASSED'],
  ['commit, push, PR', 'CHECKS_PASSED', 'PR_OPENED'],
  ['end, clean up', 'PR_OPENED', 'CLEANED_UP'],
] as const;

/** The median of each of SESSION_PHASES over `timelines` (the agent's less the sleep). */
export function phaseMedians(timelines: SessionTimeline[], sleepMs: number): Record<string, number | null> {
  return Object.fromEntries(
    SESSION_PHASES.map(([name, from, to]) => {
      const less = from === 'STARTED' ? sleepMs : 0;
      const d = distribution(present(timelines.map((t) => span(t, from, to))).map((v) => v - less));
      return [name, d?.p50 ?? null];
    }),
  );
}

/** The product's whole session, in the floor's scope and from the dispatch: each less the sleep. */
export interface SessionSpans {
  /** CLEANED_UP − ADMITTED − sleep: copy made, agent, checks, commit, push, PR, copy removed; no wait on the caps. */
  admittedToCleanedUpMs: number | null;
  /** CLEANED_UP − QUEUED − sleep: from the dispatch until the copy is gone. */
  queuedToCleanedUpMs: number | null;
}

export interface FleetFigures {
  sessions: {
    dispatched: number;
    succeeded: number;
    failed: number;
    failures: { sessionId: string; status: string; reason: string | null }[];
  };
  /** STARTED − ADMITTED: workspace preparation and scheduling until the agent runs. */
  admissionToStartMs: Distribution | null;
  /** ADMITTED − QUEUED: time spent waiting on the caps. */
  queuedToAdmittedMs: Distribution | null;
  /** Sessions whose ADMITTED event is dated before their QUEUED event (it should never be). */
  admittedBeforeQueued: number;
  /** Where a session's time after the start goes (successful sessions). */
  phasesMs: {
    /** AGENT_EXITED − STARTED − the recipe's sleep. */
    agentLessSleep: Distribution | null;
    /** CHECKS_PASSED − AGENT_EXITED. */
    checks: Distribution | null;
    /** PR_OPENED − CHECKS_PASSED: commit, push, open the PR. */
    openPullRequest: Distribution | null;
  };
  /** PR_OPENED − QUEUED: the developer's wait, end to end. */
  queuedToPrMs: Distribution | null;
  /** (PR_OPENED − ADMITTED) − the recipe's sleep, under the full load. */
  overheadMs: Distribution | null;
  /** The same for a session alone on an idle worker (median of the sessions run one at a time, after the warm-up made the mirror). */
  unloadedOverheadMs: number | null;
  /** Bare `git worktree add` + spawn + `git worktree remove` (the old floor). */
  baselineMs: Distribution | null;
  /** Product overhead ÷ bare baseline, both medians; and for the session alone. */
  overheadRatio: { underLoad: number | null; unloaded: number | null };
  /** The fair floor: the plain shell pipeline (floor.ts), whole, sleep included. */
  floorMs: Distribution | null;
  /** The same less the sleep: the work a session does besides the agent's, done by hand. */
  floorLessSleepMs: Distribution | null;
  /** The product's spans under the full load (successful sessions), each less the sleep. */
  admittedToCleanedUpMs: Distribution | null;
  queuedToCleanedUpMs: Distribution | null;
  /** The same spans of a session alone: medians of the sessions run one at a time, and of each phase. */
  alone: SessionSpans & { n: number; phasesMs: Record<string, number | null> };
  /** Product span ÷ floor, both less the sleep, medians. */
  floorRatio: {
    underLoad: { admittedToCleanedUp: number | null; queuedToCleanedUp: number | null };
    alone: { admittedToCleanedUp: number | null; queuedToCleanedUp: number | null };
  };
  /** Sessions with a PR per minute, from the first dispatch (QUEUED) to the last PR_OPENED. */
  throughput: { sessionsPerMinute: number | null; makespanSeconds: number | null };
  dispatch: { seconds: number; perSecond: number };
}

export function computeFleetFigures(input: {
  timelines: SessionTimeline[];
  /** Sessions run one at a time after the warm-up, each alone on the worker. */
  alone: SessionTimeline[];
  sleepMs: number;
  baselineMs: number[];
  floorMs: number[];
  dispatchMs: number;
}): FleetFigures {
  const { timelines, sleepMs } = input;
  const succeeded = timelines.filter((t) => t.status === 'SUCCEEDED' && t.hasPullRequest && t.at.PR_OPENED !== undefined);
  const failures = timelines
    .filter((t) => !succeeded.includes(t))
    .map((t) => ({
      sessionId: t.sessionId,
      status: t.status,
      reason: t.failureReason ?? (t.at.ENDED === undefined ? 'had not ended when the benchmark stopped waiting' : null),
    }));
  const firstQueued = Math.min(...present(timelines.map((t) => t.at.QUEUED ?? null)));
  const lastPr = Math.max(...present(succeeded.map((t) => t.at.PR_OPENED ?? null)));
  const makespanMs = succeeded.length > 0 && Number.isFinite(firstQueued) ? lastPr - firstQueued : null;

  const overhead = distribution(present(succeeded.map((t) => sessionOverheadMs(t, sleepMs))));
  const baseline = distribution(input.baselineMs);
  const median = (values: (number | null)[]) => distribution(present(values))?.p50 ?? null;
  const aloneOk = input.alone.filter((t) => t.status === 'SUCCEEDED');
  const unloaded = median(aloneOk.map((t) => sessionOverheadMs(t, sleepMs)));
  const ratio = (value: number | null | undefined) => (value != null && baseline ? value / baseline.p50 : null);
  const floorLessSleep = distribution(input.floorMs.map((v) => v - sleepMs));
  const toFloor = (value: number | null | undefined) =>
    value != null && floorLessSleep && floorLessSleep.p50 > 0 ? value / floorLessSleep.p50 : null;
  const lessSleep = (from: string, to: string) => distribution(present(succeeded.map((t) => spanLessSleepMs(t, from, to, sleepMs))));
  const admittedToCleanedUp = lessSleep('ADMITTED', 'CLEANED_UP');
  const queuedToCleanedUp = lessSleep('QUEUED', 'CLEANED_UP');
  const alone = {
    n: aloneOk.length,
    admittedToCleanedUpMs: median(aloneOk.map((t) => spanLessSleepMs(t, 'ADMITTED', 'CLEANED_UP', sleepMs))),
    queuedToCleanedUpMs: median(aloneOk.map((t) => spanLessSleepMs(t, 'QUEUED', 'CLEANED_UP', sleepMs))),
    phasesMs: phaseMedians(aloneOk, sleepMs),
  };

  return {
    sessions: { dispatched: timelines.length, succeeded: succeeded.length, failed: failures.length, failures },
    admissionToStartMs: distribution(present(timelines.map((t) => span(t, 'ADMITTED', 'STARTED')))),
    queuedToAdmittedMs: distribution(present(timelines.map((t) => span(t, 'QUEUED', 'ADMITTED')))),
    admittedBeforeQueued: timelines.filter((t) => (span(t, 'QUEUED', 'ADMITTED') ?? 0) < 0).length,
    phasesMs: {
      agentLessSleep: distribution(present(succeeded.map((t) => span(t, 'STARTED', 'AGENT_EXITED'))).map((v) => v - sleepMs)),
      checks: distribution(present(succeeded.map((t) => span(t, 'AGENT_EXITED', 'CHECKS_PASSED')))),
      openPullRequest: distribution(present(succeeded.map((t) => span(t, 'CHECKS_PASSED', 'PR_OPENED')))),
    },
    queuedToPrMs: distribution(present(succeeded.map((t) => span(t, 'QUEUED', 'PR_OPENED')))),
    overheadMs: overhead,
    unloadedOverheadMs: unloaded,
    baselineMs: baseline,
    overheadRatio: { underLoad: ratio(overhead?.p50), unloaded: ratio(unloaded) },
    floorMs: distribution(input.floorMs),
    floorLessSleepMs: floorLessSleep,
    admittedToCleanedUpMs: admittedToCleanedUp,
    queuedToCleanedUpMs: queuedToCleanedUp,
    alone,
    floorRatio: {
      underLoad: { admittedToCleanedUp: toFloor(admittedToCleanedUp?.p50), queuedToCleanedUp: toFloor(queuedToCleanedUp?.p50) },
      alone: { admittedToCleanedUp: toFloor(alone.admittedToCleanedUpMs), queuedToCleanedUp: toFloor(alone.queuedToCleanedUpMs) },
    },
    throughput: {
      sessionsPerMinute: makespanMs ? succeeded.length / (makespanMs / 60_000) : null,
      makespanSeconds: makespanMs === null ? null : makespanMs / 1000,
    },
    dispatch: { seconds: input.dispatchMs / 1000, perSecond: timelines.length / (input.dispatchMs / 1000) },
  };
}
