// Random histories for the property tests (fast-check): four days around Europe's spring
// daylight-saving change, sessions across midnight, running, cancelled while queued, SLA windows
// still open, reviews outside the PR's life, batches of one invocation. `factsOf` turns one into
// the session facts the fleet would have written by its `now`.
import type { SessionFacts } from '@parallax/metrics';
import fc from 'fast-check';

export const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata'];
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
export const MIN = 60_000;
export const BASE = Date.parse('2026-03-27T00:00:00Z');
export const SPAN = 4 * 24 * HOUR;
const STATUSES = ['SUCCEEDED', 'SUCCEEDED', 'FAILED', 'CANCELLED', 'TIMED_OUT', 'RUNNING', 'QUEUED'] as const;

const sessionArb = fc.record({
  developerId: fc.constantFrom('ana', 'bo', 'cy'),
  repositoryId: fc.constantFrom('repo-1', 'repo-2'),
  channel: fc.constantFrom('WEB', 'CLI', 'SLACK', 'SCHEDULE'),
  batchWithPrevious: fc.boolean(),
  status: fc.constantFrom(...STATUSES),
  cancelledWhileQueued: fc.boolean(),
  // Cancelled while queued by the person who asked, or by someone else (then still owed a PR).
  byRequester: fc.boolean(),
  dispatchedUnattended: fc.boolean(),
  taskType: fc.constantFrom('STANDARD', 'STANDARD', 'COMPLEX', 'INVESTIGATION'),
  // Spread over the span, on the hour, or in a burst (several at once: days of 3 or more in parallel).
  received: fc.oneof(
    fc.integer({ min: 0, max: SPAN }),
    fc.integer({ min: 0, max: SPAN / HOUR }).map((h) => h * HOUR),
    fc.integer({ min: DAY, max: DAY + 2 * HOUR }),
  ),
  queued: fc.integer({ min: 0, max: 90 * MIN }),
  length: fc.oneof(
    fc.integer({ min: 0, max: 30 * HOUR }),
    fc.integer({ min: 0, max: 6 }).map((h) => h * HOUR),
  ),
  slaMinutes: fc.constantFrom(30, 120, null),
  cost: fc.option(fc.double({ min: 0, max: 20, noNaN: true }), { nil: null }),
  interventions: fc.array(fc.integer({ min: -10 * MIN, max: 3 * HOUR }), { maxLength: 3 }),
  pr: fc.option(
    fc.record({
      openedAfterStart: fc.integer({ min: 0, max: 4 * HOUR }),
      merged: fc.option(fc.integer({ min: 0, max: 3 * 24 * HOUR }), { nil: null }),
      review: fc.option(fc.integer({ min: -HOUR, max: 4 * 24 * HOUR }), { nil: null }),
    }),
    { nil: null },
  ),
});

export const historyArb = fc.record({
  zone: fc.constantFrom(...ZONES),
  nowOffset: fc.integer({ min: 0, max: SPAN + 24 * HOUR }),
  sessions: fc.array(sessionArb, { minLength: 1, maxLength: 25 }),
});

/**
 * Histories of crowded days: each session lands on one of the first three days at about the
 * same hour and lasts hours, so daily maxima reach 5 and more and a developer's median may lie
 * above 5, where the weekly rollup's histogram lumps days together. With crowdedScopeArb, a
 * period that holds those days.
 */
export const crowdedHistoryArb = fc
  .record({
    zone: fc.constantFrom(...ZONES),
    nowOffset: fc.integer({ min: 3 * DAY, max: SPAN + 24 * HOUR }),
    sessions: fc.array(sessionArb, { minLength: 14, maxLength: 25 }),
  })
  .map((h) => ({
    ...h,
    sessions: h.sessions.map((s, i) => ({
      ...s,
      developerId: i % 6 === 5 ? ('bo' as const) : ('ana' as const),
      received: (Math.floor(s.received / DAY) % 3) * DAY + 9 * HOUR + (i % 7) * 5 * MIN,
      queued: 0,
      length: 6 * HOUR,
      status: 'SUCCEEDED' as const,
    })),
  }));

export type Generated = typeof historyArb extends fc.Arbitrary<infer T> ? T : never;

/** Session facts as the product would have written them by `now`. */
/** With `batchesKeepDeveloper`, a batch's sessions are one developer's (as the product dispatches them). */
export function factsOf(h: Generated, options: { batchesKeepDeveloper?: boolean } = {}): { facts: SessionFacts[]; now: Date } {
  const now = new Date(BASE + h.nowOffset);
  const facts: SessionFacts[] = [];
  h.sessions.forEach((g, i) => {
    const previous = facts[facts.length - 1];
    const batched = g.batchWithPrevious && previous !== undefined;
    // A batch's sessions share their invocation, received once: none starts before it.
    const receivedAt = batched ? previous.receivedAt : new Date(BASE + g.received);
    if (receivedAt > now) return;
    const invocationId = batched ? previous.invocationId : `inv-${i}`;
    const cwq = g.status === 'CANCELLED' && g.cancelledWhileQueued;
    const startAt = receivedAt.getTime() + g.queued;
    const started = !cwq && g.status !== 'QUEUED' && startAt <= now.getTime();
    const endAt = startAt + g.length;
    const terminal = cwq || (g.status !== 'RUNNING' && g.status !== 'QUEUED' && started && endAt <= now.getTime());
    const status = cwq ? 'CANCELLED' : terminal ? g.status : started ? 'RUNNING' : 'QUEUED';
    const startedAt = started ? new Date(startAt) : null;
    const endedAt = cwq ? new Date(startAt) : terminal ? new Date(endAt) : null;
    const openedAt = startedAt && g.pr ? new Date(startAt + g.pr.openedAfterStart) : null;
    const pr =
      openedAt && openedAt <= now && (status === 'SUCCEEDED' || status === 'RUNNING')
        ? {
            openedAt,
            mergedAt:
              g.pr!.merged !== null && openedAt.getTime() + g.pr!.merged <= now.getTime()
                ? new Date(openedAt.getTime() + g.pr!.merged)
                : null,
            firstReviewAt: g.pr!.review !== null ? new Date(Math.min(openedAt.getTime() + g.pr!.review, now.getTime())) : null,
          }
        : null;
    facts.push({
      sessionId: `ses-${String(i).padStart(3, '0')}`,
      invocationId,
      developerId: options.batchesKeepDeveloper && invocationId === previous?.invocationId ? previous.developerId : g.developerId,
      repositoryId: g.repositoryId,
      channel: invocationId === previous?.invocationId ? previous.channel : g.channel,
      status,
      cancelledWhileQueued: cwq,
      withdrawnByRequester: cwq && g.byRequester,
      dispatchedUnattended: g.dispatchedUnattended,
      taskType: g.taskType as SessionFacts['taskType'],
      receivedAt,
      startedAt,
      endedAt,
      slaMinutes: g.slaMinutes,
      costUsd: terminal && !cwq ? g.cost : null,
      interventionTimes: startedAt
        ? g.interventions
            .map((o) => new Date(Math.min(startAt + Math.max(o, 0), endedAt?.getTime() ?? now.getTime())))
            .filter((t) => t <= now)
        : [],
      pr,
    });
  });
  return { facts, now };
}

/**
 * A scope over a generated history: a period starting up to 8 days before it (so that whole
 * weeks around the history hold data or none), 0 to 24 days long; the org or a team; all
 * repositories or one; an SLA target.
 */
export const periodScopeArb = fc.record({
  startOffset: fc.integer({ min: -8 * DAY, max: SPAN }),
  length: fc.integer({ min: 0, max: 24 }),
  team: fc.constantFrom<string[] | null>(null, ['ana'], ['bo', 'cy']),
  repository: fc.constantFrom<string | null>(null, 'repo-1'),
  slaTarget: fc.constantFrom(0.9, 0.5),
});

export const crowdedScopeArb = fc.record({
  startOffset: fc.integer({ min: -8 * DAY, max: 0 }),
  length: fc.integer({ min: 10, max: 24 }),
  team: fc.constantFrom<string[] | null>(null, ['ana']),
  repository: fc.constant<string | null>(null),
  slaTarget: fc.constant(0.9),
});
