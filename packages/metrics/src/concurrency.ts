// METRICS.md "Sessions and concurrency": active sessions, a developer's concurrency over
// each day of the org's time zone (daily max, time-weighted mean), parallel developer-days
// and criterion 3. Pure functions over session rows; the SQL that computes the same at
// scale is tested against these.
import { daysFrom, nextDay, startOfDay } from './days.ts';

export interface SessionTimes {
  developerId: string;
  /** When the agent started (after admission); null: never started (still queued, or cancelled while queued). */
  startedAt: Date | null;
  /** Terminal state; null: still running, active up to `now`. */
  endedAt: Date | null;
}

export interface DeveloperDay {
  developerId: string;
  /** The org-local calendar day, YYYY-MM-DD. */
  day: string;
  /** Daily max concurrency: the most active sessions at one instant of the day. */
  maxConcurrency: number;
  /** Time-weighted mean concurrency over the part of the day with at least one active session; null on a day without any. */
  meanConcurrency: number | null;
  /** How long at least one session was active that day, in ms. */
  activeMs: number;
}

export interface Period {
  /** First and last org-local day, both included. */
  from: string;
  to: string;
  timeZone: string;
  /** Running sessions count up to here, and nothing is active after it. */
  now: Date;
}

/** A session's active interval [startedAt, endedAt ?? now), or null when it never started or has no length. */
export function activeInterval(session: SessionTimes, now: Date): [number, number] | null {
  if (!session.startedAt) return null;
  const start = session.startedAt.getTime();
  const end = session.endedAt?.getTime() ?? now.getTime();
  return end > start ? [start, end] : null;
}

/**
 * One row per developer per day of the period, days without activity included: the
 * developers named in `developers` appear even with no session at all. Developers in code
 * unit order (SQL's COLLATE "C"), then days.
 */
export function dailyConcurrency(sessions: readonly SessionTimes[], period: Period, developers: readonly string[] = []): DeveloperDay[] {
  const byDeveloper = new Map<string, [number, number][]>();
  for (const id of developers) byDeveloper.set(id, []);
  for (const session of sessions) {
    const interval = activeInterval(session, period.now);
    const list = byDeveloper.get(session.developerId) ?? [];
    if (interval) list.push(interval);
    byDeveloper.set(session.developerId, list);
  }
  const days = daysFrom(period.from, period.to).map((day) => ({
    day,
    start: startOfDay(day, period.timeZone).getTime(),
    end: Math.min(startOfDay(nextDay(day), period.timeZone).getTime(), period.now.getTime()),
  }));
  const rows: DeveloperDay[] = [];
  for (const [developerId, intervals] of [...byDeveloper].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    for (const { day, start, end } of days) rows.push({ developerId, day, ...sweep(intervals, start, end) });
  }
  return rows;
}

/** Concurrency over [from, to): intervals are half-open, so one ending as another starts never overlaps it. */
function sweep(intervals: readonly [number, number][], from: number, to: number): Omit<DeveloperDay, 'developerId' | 'day'> {
  const events: [number, number][] = [];
  for (const [s, e] of intervals) {
    const start = Math.max(s, from);
    const end = Math.min(e, to);
    if (end > start) events.push([start, 1], [end, -1]);
  }
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]); // ends before starts at the same instant
  let count = 0;
  let max = 0;
  let area = 0;
  let activeMs = 0;
  let at = from;
  for (const [time, delta] of events) {
    if (count > 0) {
      area += count * (time - at);
      activeMs += time - at;
    }
    at = time;
    count += delta;
    max = Math.max(max, count);
  }
  return { maxConcurrency: max, meanConcurrency: activeMs > 0 ? area / activeMs : null, activeMs };
}

/** A parallel developer-day: daily max concurrency of 3 or more. */
export const isParallelDay = (day: Pick<DeveloperDay, 'maxConcurrency'>) => day.maxConcurrency >= 3;

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export interface ParallelCriterion {
  /** Days with at least one active session. */
  activeDays: number;
  /** The median of daily max concurrency over the active days; null without any. */
  medianDailyMax: number | null;
  /** Criterion 3 for a developer: that median is 3 or more. */
  meets: boolean;
}

/** Criterion 3 for one developer, from their rows of dailyConcurrency. */
export function parallelCriterion(days: readonly DeveloperDay[]): ParallelCriterion {
  const active = days.filter((d) => d.maxConcurrency >= 1);
  const medianDailyMax = median(active.map((d) => d.maxConcurrency));
  return { activeDays: active.length, medianDailyMax, meets: medianDailyMax !== null && medianDailyMax >= 3 };
}

export interface GroupParallelCriterion {
  /** Developers with at least one active day in the period. */
  activeDevelopers: number;
  meeting: number;
  /** meeting / activeDevelopers; null when nobody was active. */
  share: number | null;
  /** Each active developer's median daily max, for the distribution. */
  medians: { developerId: string; medianDailyMax: number }[];
}

/** Criterion 3 for a team or the org: the share of its active developers who meet it. */
export function groupParallelCriterion(rows: readonly DeveloperDay[]): GroupParallelCriterion {
  const byDeveloper = new Map<string, DeveloperDay[]>();
  for (const row of rows) byDeveloper.set(row.developerId, [...(byDeveloper.get(row.developerId) ?? []), row]);
  const medians: GroupParallelCriterion['medians'] = [];
  let meeting = 0;
  for (const [developerId, days] of byDeveloper) {
    const c = parallelCriterion(days);
    if (c.medianDailyMax === null) continue;
    medians.push({ developerId, medianDailyMax: c.medianDailyMax });
    if (c.meets) meeting++;
  }
  return { activeDevelopers: medians.length, meeting, share: medians.length > 0 ? meeting / medians.length : null, medians };
}
