// One developer's day of agent work, as sessions with every timestamp decided: waves of
// sessions launched together (as many as their adoption curve allows), the review pause
// between waves, interventions that fade as they learn, outcomes and PRs by task type.
// Pure: the same developer, day and random stream always give the same sessions.
import { startOfDay } from '@parallax/metrics';
import { type DeveloperPlan, interventionRate, parallelLevel } from './people.ts';
import type { Random } from './random.ts';

export type TaskType = 'STANDARD' | 'COMPLEX' | 'INVESTIGATION';
export type Channel = 'WEB' | 'CLI' | 'SLACK' | 'PAGERDUTY' | 'GITHUB' | 'API' | 'SCHEDULE';
export type Status = 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED' | 'TIMED_OUT';
export type InterventionKind = 'MESSAGE' | 'MANUAL_COMMIT' | 'RESTART' | 'CANCEL_AND_RETRY' | 'ANSWER';

export interface GeneratedIntervention {
  kind: InterventionKind;
  at: number;
  message: string | null;
}

export interface GeneratedPullRequest {
  openedAt: number;
  firstReviewAt: number | null;
  mergedAt: number | null;
  closedAt: number | null;
  state: 'OPEN' | 'MERGED' | 'CLOSED';
  filesChanged: number;
  linesAdded: number;
  linesDeleted: number;
}

export interface GeneratedSession {
  developer: number;
  repository: number;
  agent: number;
  taskType: TaskType;
  channel: Channel;
  /** Who asked: the developer, a teammate (Slack on their behalf), or nobody (a schedule, a trigger). */
  actor: number | null;
  actorExternal: string | null;
  isUnattended: boolean;
  receivedAt: number;
  queuedAt: number;
  startedAt: number | null;
  /** When the agent's process exited, before checks and the PR. */
  agentExitedAt: number | null;
  endedAt: number | null;
  status: Status;
  cancelledWhileQueued: boolean;
  cancelled: boolean;
  slaMinutes: number;
  slaBreachedAt: number | null;
  checksPassed: boolean | null;
  agentExitCode: number | null;
  costUsd: number | null;
  failureReason: string | null;
  interventions: GeneratedIntervention[];
  pullRequest: GeneratedPullRequest | null;
  /** The try this one retries (the developer pressed Retry on it), or null. */
  retryOf: GeneratedSession | null;
}

export interface DayContext {
  day: string;
  /** 0–1: where this day is in the history (the adoption curves' clock). */
  progress: number;
  /** Weeks since the history began (the learning clock). */
  weeks: number;
  /** The history ends here: later things have not happened yet. */
  endsAt: number;
  /** 0–1: the share of the usual rhythm the org runs (days with agents, unattended runs). */
  activity: number;
  sla: Record<TaskType, number>;
  /** Repositories the developer's team works in. */
  repositories: readonly number[];
  teammates: readonly number[];
}

const MINUTE = 60_000;
const dayStarts = new Map<string, number>();
/** Local midnight of `day` in `timeZone`, memoized: Intl is the generator's hottest path otherwise. */
function dayStartIn(day: string, timeZone: string): number {
  const key = `${day} ${timeZone}`;
  let start = dayStarts.get(key);
  if (start === undefined) {
    if (dayStarts.size > 50_000) dayStarts.clear();
    start = startOfDay(day, timeZone).getTime();
    dayStarts.set(key, start);
  }
  return start;
}
const HOUR = 60 * MINUTE;
const HUMAN_CHANNELS: readonly (readonly [Channel, number])[] = [
  ['WEB', 45],
  ['CLI', 32],
  ['SLACK', 12],
  ['API', 6],
  ['GITHUB', 5],
];
const MERGE_RATE: Record<TaskType, number> = { STANDARD: 0.84, COMPLEX: 0.66, INVESTIGATION: 0 };
const SUCCESS_RATE: Record<TaskType, number> = { STANDARD: 0.86, COMPLEX: 0.72, INVESTIGATION: 0.9 };
const MESSAGES = [
  'Use the existing helper instead',
  'Keep the public API unchanged',
  'Add a test for the empty case',
  'Wrong file: look in src/',
];

/** Active minutes of an agent run, skewed long on the right as real runs are. */
function activeMinutes(type: TaskType, r: Random): number {
  const skew = r.next() ** 2;
  if (type === 'COMPLEX') return 25 + skew * 140;
  if (type === 'INVESTIGATION') return 4 + skew * 22;
  return 5 + skew * 21;
}

export interface SessionRequest {
  developer: DeveloperPlan;
  receivedAt: number;
  channel: Channel;
  actor: number | null;
  actorExternal: string | null;
  isUnattended: boolean;
  taskType: TaskType;
  repository: number;
  interventionRate: number;
  /** The earlier try this request retries. */
  retryOf?: GeneratedSession;
}

/** Runs one invocation to its end (or to where the history ends). */
export function simulateSession(req: SessionRequest, ctx: DayContext, r: Random): GeneratedSession {
  const receivedAt = req.receivedAt;
  const queuedAt = receivedAt + r.int(40, 400);
  // A retry is itself an intervention, recorded as it is dispatched (as the fleet records it):
  // a cancel-and-retry after a cancel while it ran, else a restart.
  const retried: GeneratedIntervention[] =
    req.retryOf && queuedAt + 1 < ctx.endsAt
      ? [{ kind: req.retryOf.cancelled ? 'CANCEL_AND_RETRY' : 'RESTART', at: queuedAt + 1, message: null }]
      : [];
  const base: GeneratedSession = {
    developer: req.developer.index,
    repository: req.repository,
    agent: req.isUnattended && r.chance(0.5) ? 0 : req.developer.agent,
    taskType: req.taskType,
    channel: req.channel,
    actor: req.actor,
    actorExternal: req.actorExternal,
    isUnattended: req.isUnattended,
    receivedAt,
    queuedAt,
    startedAt: null,
    agentExitedAt: null,
    endedAt: null,
    status: 'QUEUED',
    cancelledWhileQueued: false,
    cancelled: false,
    slaMinutes: ctx.sla[req.taskType],
    slaBreachedAt: null,
    checksPassed: null,
    agentExitCode: null,
    costUsd: null,
    failureReason: null,
    interventions: retried,
    pullRequest: null,
    retryOf: req.retryOf ?? null,
  };
  // Mostly admitted within seconds; sometimes the org's cap keeps it waiting for minutes.
  const wait = r.chance(0.06) ? r.between(1, 12) * MINUTE : r.between(1, 20) * 1000;
  if (!req.isUnattended && r.chance(0.015)) {
    const cancelAt = queuedAt + Math.min(wait, r.between(0.5, 5) * MINUTE);
    if (cancelAt >= ctx.endsAt) return base;
    return { ...base, status: 'CANCELLED', cancelledWhileQueued: true, cancelled: true, endedAt: Math.round(cancelAt) };
  }
  const startedAt = Math.round(queuedAt + wait);
  if (startedAt >= ctx.endsAt) return base;
  let active = activeMinutes(req.taskType, r) * MINUTE;
  // Steering while it runs: a correction sent to the agent, the one kind the fleet records
  // during a run (retries are recorded on the retry; see developerDay).
  const interventions: GeneratedIntervention[] = [];
  const rate = Math.min(0.9, req.taskType === 'COMPLEX' ? req.interventionRate * 1.5 : req.interventionRate);
  if (r.chance(rate)) {
    const count = 1 + (r.chance(0.35) ? 1 : 0) + (r.chance(0.12) ? 1 : 0);
    for (let i = 0; i < count; i++) active += r.between(3, 15) * MINUTE; // steering costs time
    for (let i = 0; i < count; i++) interventions.push({ kind: 'MESSAGE', at: 0, message: r.pick(MESSAGES) });
  }
  const timedOut = r.chance(req.taskType === 'COMPLEX' ? 0.04 : 0.015);
  if (timedOut) active = Math.max(active, 180 * MINUTE);
  const checksMs = r.between(20, 240) * 1000;
  const agentExitedAt = Math.round(startedAt + active);
  const succeeded = !timedOut && r.chance(SUCCESS_RATE[req.taskType]);
  const cancelled = !timedOut && !succeeded && r.chance(0.25);
  const endedAt = Math.round(agentExitedAt + (cancelled || timedOut ? 1000 : checksMs + (succeeded ? r.between(2, 8) * 1000 : 0)));
  // Interventions fall while it runs, in order.
  const times = interventions.map(() => startedAt + r.between(0.1, 0.9) * active).sort((a, b) => a - b);
  interventions.forEach((i, k) => {
    i.at = Math.round(times[k] as number);
  });
  const deadline = receivedAt + base.slaMinutes * MINUTE;
  const session: GeneratedSession = {
    ...base,
    startedAt,
    interventions: [...retried, ...interventions.filter((i) => i.at < ctx.endsAt)],
    costUsd: base.agent === 0 ? Math.round((0.04 + (active / MINUTE) * r.between(0.02, 0.07)) * 10_000) / 10_000 : null,
  };
  if (endedAt >= ctx.endsAt) {
    // Still running where the history ends: a breach already recorded if its window closed.
    if (deadline < ctx.endsAt && req.taskType !== 'INVESTIGATION') session.slaBreachedAt = deadline;
    return { ...session, status: 'RUNNING', costUsd: null };
  }
  session.endedAt = endedAt;
  session.agentExitedAt = cancelled ? null : agentExitedAt;
  session.agentExitCode = cancelled ? null : succeeded ? 0 : timedOut ? 124 : 1;
  session.status = timedOut ? 'TIMED_OUT' : succeeded ? 'SUCCEEDED' : cancelled ? 'CANCELLED' : 'FAILED';
  session.cancelled = cancelled;
  session.checksPassed = succeeded ? true : cancelled || timedOut ? null : r.chance(0.7) ? false : null;
  session.failureReason = succeeded
    ? null
    : timedOut
      ? 'the agent ran past its time limit'
      : cancelled
        ? 'cancelled by the developer'
        : session.checksPassed === false
          ? 'checks failed'
          : 'the agent exited with an error';
  if (succeeded && req.taskType !== 'INVESTIGATION')
    session.pullRequest = pullRequestFor(req, endedAt - 1500, session.interventions.length, ctx, r);
  const prAt = session.pullRequest?.openedAt ?? null;
  if (req.taskType !== 'INVESTIGATION' && deadline < Math.min(prAt ?? endedAt, ctx.endsAt) && deadline < endedAt)
    session.slaBreachedAt = deadline;
  return session;
}

function pullRequestFor(req: SessionRequest, openedAt: number, steered: number, ctx: DayContext, r: Random): GeneratedPullRequest {
  const merged = r.chance(MERGE_RATE[req.taskType] + (steered > 0 ? 0.05 : 0));
  const reviewed = merged ? r.chance(0.78) : r.chance(0.5);
  const firstReviewAt = reviewed ? Math.round(openedAt + (r.chance(0.7) ? r.between(5, 90) * MINUTE : r.between(2, 20) * HOUR)) : null;
  const decidedAt = Math.round(Math.max(firstReviewAt ?? openedAt, openedAt) + r.between(2, 240) * MINUTE);
  const size = req.taskType === 'COMPLEX' ? r.int(4, 30) : r.int(1, 8);
  const pr: GeneratedPullRequest = {
    openedAt,
    firstReviewAt: firstReviewAt !== null && firstReviewAt < ctx.endsAt ? firstReviewAt : null,
    mergedAt: null,
    closedAt: null,
    state: 'OPEN',
    filesChanged: size,
    linesAdded: size * r.int(4, 40),
    linesDeleted: size * r.int(0, 15),
  };
  if (decidedAt >= ctx.endsAt) return pr;
  return merged ? { ...pr, state: 'MERGED', mergedAt: decidedAt } : { ...pr, state: 'CLOSED', closedAt: decidedAt };
}

function pickTaskType(r: Random): TaskType {
  return r.weighted<TaskType>([
    ['STANDARD', 65],
    ['COMPLEX', 20],
    ['INVESTIGATION', 15],
  ]);
}

/**
 * The sessions a developer starts on `ctx.day` in their own zone: on a working day, waves of
 * as many sessions as their curve allows, a pause to review each wave; rarely a late evening
 * that runs past midnight, or an hour at the weekend.
 */
export function developerDay(d: DeveloperPlan, ctx: DayContext, r: Random): GeneratedSession[] {
  if (d.kind === 'idle') return [];
  const dayStart = dayStartIn(ctx.day, d.timeZone);
  const weekday = new Date(`${ctx.day}T12:00:00Z`).getUTCDay();
  const isWeekend = weekday === 0 || weekday === 6;
  if (isWeekend ? !r.chance(0.04 * ctx.activity) : !r.chance(0.92 * ctx.activity)) return [];
  const level = parallelLevel(d, ctx.progress);
  const rate = interventionRate(d, ctx.weeks);
  const sessions: GeneratedSession[] = [];
  let at = dayStart + (d.startHour + r.between(-0.5, 0.75)) * HOUR;
  const stop = isWeekend ? at + r.between(0.5, 1.5) * HOUR : at + r.between(3, 4.5) * HOUR;
  const late = !isWeekend && r.chance(0.04);
  while (at < stop) {
    const wave = Math.max(1, Math.floor(level) + (r.chance(level - Math.floor(level)) ? 1 : 0) - (r.chance(0.12) ? 1 : 0));
    let waveEnd = at;
    for (let k = 0; k < wave; k++) {
      const receivedAt = Math.round(at + k * r.between(0.3, 4) * MINUTE);
      if (receivedAt >= ctx.endsAt) break;
      const tries = withRetries(humanRequest(d, receivedAt, rate, ctx, r), ctx, r);
      sessions.push(...tries);
      for (const session of tries) waveEnd = Math.max(waveEnd, session.endedAt ?? session.receivedAt);
    }
    // Reviewing a wave takes longer the more it brought back.
    at = waveEnd + (wave === 1 ? r.between(35, 110) : r.between(30, 80) + wave * 8) * MINUTE;
  }
  if (late) {
    const receivedAt = Math.round(dayStart + r.between(21.5, 23.5) * HOUR);
    if (receivedAt < ctx.endsAt)
      sessions.push(simulateSession({ ...humanRequest(d, receivedAt, rate, ctx, r), taskType: 'COMPLEX' }, ctx, r));
  }
  return sessions;
}

/** How often a developer retries a try of theirs that ended without success (and its retry, up to twice). */
const RETRY_CHANCE = 0.45;
const MAX_RETRIES = 2;

/**
 * The session and the retries its developer runs after it: a try that ran and ended without
 * success is sometimes retried from its page, minutes later, on the same repository and task
 * type, for the same developer, linked to it. Work nobody watches, and a task withdrawn from
 * the queue, are not retried.
 */
function withRetries(req: SessionRequest, ctx: DayContext, r: Random): GeneratedSession[] {
  const tries = [simulateSession(req, ctx, r)];
  for (let n = 0; n < MAX_RETRIES; n++) {
    const last = tries[tries.length - 1] as GeneratedSession;
    const unsuccessful =
      last.status === 'FAILED' || last.status === 'TIMED_OUT' || (last.status === 'CANCELLED' && !last.cancelledWhileQueued);
    if (last.isUnattended || !unsuccessful || last.endedAt === null || !r.chance(RETRY_CHANCE)) break;
    const receivedAt = Math.round(last.endedAt + r.between(2, 25) * MINUTE);
    if (receivedAt >= ctx.endsAt) break;
    const retry = { ...req, receivedAt, channel: 'WEB' as const, actor: req.developer.index, actorExternal: null, retryOf: last };
    tries.push(simulateSession(retry, ctx, r));
  }
  return tries;
}

function humanRequest(d: DeveloperPlan, receivedAt: number, rate: number, ctx: DayContext, r: Random): SessionRequest {
  const channel = r.weighted(HUMAN_CHANNELS);
  // A teammate asking in Slack on the developer's behalf: nobody watches it (METRICS.md "Unattended session").
  const byTeammate = channel === 'SLACK' && ctx.teammates.length > 1 && r.chance(0.3);
  const actor = byTeammate ? r.pick(ctx.teammates.filter((t) => t !== d.index)) : d.index;
  return {
    developer: d,
    receivedAt,
    channel,
    actor: actor ?? d.index,
    actorExternal: channel === 'GITHUB' ? 'github:issue-comment' : null,
    isUnattended: byTeammate,
    taskType: pickTaskType(r),
    repository: r.pick(ctx.repositories),
    interventionRate: byTeammate ? rate / 3 : rate,
  };
}

/** Work nobody launched by hand: a team's nightly schedule, incidents from PagerDuty, issues labelled on GitHub. */
export function unattendedDay(
  team: { schedule: DeveloperPlan | null; onCall: readonly DeveloperPlan[] },
  orgDayStart: number,
  ctx: DayContext,
  r: Random,
): GeneratedSession[] {
  const out: GeneratedSession[] = [];
  const weekday = new Date(`${ctx.day}T12:00:00Z`).getUTCDay();
  const request = (d: DeveloperPlan, receivedAt: number, channel: Channel, actorExternal: string, taskType: TaskType): SessionRequest => ({
    developer: d,
    receivedAt,
    channel,
    actor: null,
    actorExternal,
    isUnattended: true,
    taskType,
    repository: r.pick(ctx.repositories),
    interventionRate: 0.05,
  });
  if (team.schedule && weekday !== 0 && weekday !== 6 && (ctx.activity >= 1 || r.chance(ctx.activity))) {
    const receivedAt = Math.round(orgDayStart + 2 * HOUR + r.int(0, 30) * 1000);
    if (receivedAt < ctx.endsAt)
      out.push(simulateSession(request(team.schedule, receivedAt, 'SCHEDULE', 'schedule:nightly', 'STANDARD'), ctx, r));
  }
  if (team.onCall.length > 0 && r.chance(0.2 * ctx.activity)) {
    const receivedAt = Math.round(orgDayStart + r.between(0, 24) * HOUR);
    if (receivedAt < ctx.endsAt)
      out.push(simulateSession(request(r.pick(team.onCall), receivedAt, 'PAGERDUTY', 'pagerduty:incident', 'INVESTIGATION'), ctx, r));
  }
  if (team.onCall.length > 0 && r.chance(0.25 * ctx.activity)) {
    const receivedAt = Math.round(orgDayStart + r.between(8, 19) * HOUR);
    if (receivedAt < ctx.endsAt)
      out.push(simulateSession(request(r.pick(team.onCall), receivedAt, 'GITHUB', 'github:issue-labeled', 'STANDARD'), ctx, r));
  }
  return out;
}
