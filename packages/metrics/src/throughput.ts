// METRICS.md "Throughput and variance": weekly throughput, the baseline (single-agent weeks,
// else the org baseline, flagged), the multiplier, and the factors the variance view sets beside
// it (mean concurrency, intervention rate, PR within SLA, task mix). Computed from the per-day
// rollups (EvidenceDay, ConcurrencyDay), so the SQL twin in throughput-sql.ts reads the same rows.
//
// Which weeks count (decided here, stated in the README):
// - A week is an org-local ISO week, Monday to Sunday (days are already org-local, so a week
//   across a daylight-saving change is simply its seven days).
// - The period's weeks are the ISO weeks lying wholly inside [from, to]; a week with no activity
//   counts as 0. A period holding no whole week has no throughput (multiplier null).
// - A single-agent week is a whole week ending on or before `to` in which the developer was
//   active on at least one day (a ConcurrencyDay with activeMs > 0) and their daily max
//   concurrency never exceeded 1. A week without any activity is not a single-agent week.
// - The baseline is the mean throughput over those weeks; a developer without one gets the org
//   baseline: the mean over every single-agent week of every developer of the org.
import { weekOf } from './criteria.ts';
import type { EvidenceDayRow } from './rollup.ts';
import { mean, throughputMultiplier } from './variance.ts';

/** The EvidenceDay figures throughput reads (day: org-local, YYYY-MM-DD). */
export type ThroughputDay = Pick<
  EvidenceDayRow,
  | 'developerId'
  | 'day'
  | 'finished'
  | 'succeeded'
  | 'intervened'
  | 'complexFinished'
  | 'slaWithin'
  | 'slaBreached'
  | 'slaMissed'
  | 'prsMerged'
>;

export interface ConcurrencyDayFigures {
  developerId: string;
  day: string;
  maxConcurrency: number;
  activeMs: number;
  areaMs: number;
}

export interface ThroughputParams {
  from: string;
  to: string;
  /** The developers to report on; rows of others still feed the org baseline. */
  developers: readonly string[];
}

export interface DeveloperThroughput {
  developerId: string;
  /** Any session active or finished, or any PR merged, in the period. */
  isActive: boolean;
  /** Agent PRs merged per whole week of the period, averaged; null without a whole week. */
  meanWeeklyThroughput: number | null;
  meanWeeklySucceeded: number | null;
  /** Single-agent weeks behind the developer's own baseline (0 → the org baseline is used). */
  baselineWeeks: number;
  baseline: number | null;
  isOrgBaseline: boolean;
  /** Null when inactive in the period, or without any usable baseline. */
  multiplier: number | null;
  /** Time-weighted over the period: Σ areaMs / Σ activeMs. */
  meanConcurrency: number | null;
  /** Finished with ≥ 1 intervention / finished. */
  interventionRate: number | null;
  /** Within / (within + breached + missed): only closed windows. */
  prWithinSlaRate: number | null;
  /** COMPLEX finished / finished. */
  complexShare: number | null;
}

export interface ThroughputResult {
  orgBaseline: number | null;
  orgBaselineWeeks: number;
  /** Mondays of the whole weeks of the period. */
  weeks: string[];
  developers: DeveloperThroughput[];
}

const DAY = 86_400_000;

function toUtc(day: string): number {
  return Date.parse(`${day}T00:00:00Z`);
}

function fromUtc(t: number): string {
  return new Date(t).toISOString().slice(0, 10);
}

/** Mondays of the ISO weeks lying wholly inside [from, to]. */
export function wholeWeeks(from: string, to: string): string[] {
  const weeks: string[] = [];
  let monday = weekOf(from);
  if (monday < from) monday = fromUtc(toUtc(monday) + 7 * DAY);
  for (; fromUtc(toUtc(monday) + 6 * DAY) <= to; monday = fromUtc(toUtc(monday) + 7 * DAY)) weeks.push(monday);
  return weeks;
}

function ratio(num: number, den: number): number | null {
  return den > 0 ? num / den : null;
}

/** Single-agent weeks of each developer (key: developer), with that week's merged PRs. */
function singleAgentWeeks(
  evidence: readonly ThroughputDay[],
  concurrency: readonly ConcurrencyDayFigures[],
  lastMonday: string,
): Map<string, number[]> {
  const weekState = new Map<string, { active: boolean; single: boolean }>();
  for (const c of concurrency) {
    const week = weekOf(c.day);
    if (week > lastMonday) continue;
    const key = `${c.developerId}\u0000${week}`;
    const s = weekState.get(key) ?? { active: false, single: true };
    if (c.activeMs > 0) s.active = true;
    if (c.maxConcurrency > 1) s.single = false;
    weekState.set(key, s);
  }
  const merged = new Map<string, number>();
  for (const e of evidence) {
    const key = `${e.developerId}\u0000${weekOf(e.day)}`;
    merged.set(key, (merged.get(key) ?? 0) + e.prsMerged);
  }
  const out = new Map<string, number[]>();
  for (const [key, s] of weekState) {
    if (!s.active || !s.single) continue;
    const developerId = key.split('\u0000')[0]!;
    out.set(developerId, [...(out.get(developerId) ?? []), merged.get(key) ?? 0]);
  }
  return out;
}

/**
 * Throughput, baseline, multiplier and factors per developer. `evidence` and `concurrency` are
 * the org's rollup rows up to `to` (all history: the baseline may lie before the period).
 */
export function developerThroughput(
  evidence: readonly ThroughputDay[],
  concurrency: readonly ConcurrencyDayFigures[],
  params: ThroughputParams,
): ThroughputResult {
  const { from, to } = params;
  const weeks = wholeWeeks(from, to);
  // The last whole week ending on or before `to`.
  const lastMonday = fromUtc(toUtc(weekOf(fromUtc(toUtc(to) + DAY))) - 7 * DAY);
  const single = singleAgentWeeks(
    evidence.filter((e) => e.day <= to),
    concurrency.filter((c) => c.day <= to),
    lastMonday,
  );
  const pooled = [...single.values()].flat();
  const orgBaseline = mean(pooled);

  const weekSet = new Set(weeks);
  const developers = params.developers.map((developerId): DeveloperThroughput => {
    const ev = evidence.filter((e) => e.developerId === developerId && e.day >= from && e.day <= to);
    const cc = concurrency.filter((c) => c.developerId === developerId && c.day >= from && c.day <= to);
    const sum = (f: (e: ThroughputDay) => number) => ev.reduce((a, e) => a + f(e), 0);
    const inWeeks = ev.filter((e) => weekSet.has(weekOf(e.day)));
    const perWeek = (f: (e: ThroughputDay) => number) => (weeks.length === 0 ? null : inWeeks.reduce((a, e) => a + f(e), 0) / weeks.length);
    const own = single.get(developerId) ?? [];
    const baseline = own.length > 0 ? mean(own) : orgBaseline;
    const isActive = cc.some((c) => c.activeMs > 0) || sum((e) => e.finished + e.prsMerged) > 0;
    const meanWeeklyThroughput = perWeek((e) => e.prsMerged);
    const finished = sum((e) => e.finished);
    const activeMs = cc.reduce((a, c) => a + c.activeMs, 0);
    return {
      developerId,
      isActive,
      meanWeeklyThroughput,
      meanWeeklySucceeded: perWeek((e) => e.succeeded),
      baselineWeeks: own.length,
      baseline,
      isOrgBaseline: own.length === 0,
      multiplier: isActive && meanWeeklyThroughput !== null ? throughputMultiplier([meanWeeklyThroughput], baseline) : null,
      meanConcurrency: ratio(
        cc.reduce((a, c) => a + c.areaMs, 0),
        activeMs,
      ),
      interventionRate: ratio(
        sum((e) => e.intervened),
        finished,
      ),
      prWithinSlaRate: ratio(
        sum((e) => e.slaWithin),
        sum((e) => e.slaWithin + e.slaBreached + e.slaMissed),
      ),
      complexShare: ratio(
        sum((e) => e.complexFinished),
        finished,
      ),
    };
  });
  return { orgBaseline, orgBaselineWeeks: pooled.length, weeks, developers };
}
