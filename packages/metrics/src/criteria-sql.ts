// criteria (criteria.ts) in PostgreSQL, from the rollups only: one statement, a few hundred
// thousand rollup rows at most for an org's year, never the raw sessions. The final verdicts
// (meets, rates, l4) are taken by criteriaFromTotals, the same code for every caller.
import { COMPLETION_TARGET, channelsUsed } from './completion.ts';
import { type CriteriaSummary, PARALLEL_GROUP_TARGET } from './criteria.ts';

export interface CriteriaScope {
  orgId: string;
  from: string;
  to: string;
  /** Only these developers' rows (a team); null: the whole org. */
  developers: readonly string[] | null;
  repositoryId: string | null;
  slaTarget: number;
}

export function criteriaQuery(scope: CriteriaScope): { text: string; values: unknown[] } {
  const where = `"orgId" = $1 AND day BETWEEN $2::date AND $3::date AND ($4::text[] IS NULL OR "developerId" = ANY($4::text[]))`;
  const text = `
WITH ev AS (
  SELECT * FROM "EvidenceDay" WHERE ${where} AND ($5::text IS NULL OR "repositoryId" = $5)
), totals AS (
  SELECT coalesce(sum(finished), 0)::int AS finished, coalesce(sum(unassisted), 0)::int AS unassisted,
         coalesce(sum(unattended), 0)::int AS unattended,
         coalesce(sum("slaWithin"), 0)::int AS sla_within, coalesce(sum("slaBreached"), 0)::int AS sla_breached,
         coalesce(sum("slaMissed"), 0)::int AS sla_missed, coalesce(sum("slaOpen"), 0)::int AS sla_open,
         coalesce(sum("prsOpened"), 0)::int AS prs_opened, coalesce(sum("prsMerged"), 0)::int AS prs_merged,
         coalesce(sum("mergedSteered"), 0)::int AS merged_steered, coalesce(sum("mergedReviewed"), 0)::int AS merged_reviewed,
         coalesce(sum("mergedUnreviewed"), 0)::int AS merged_unreviewed, coalesce(sum("reviewLatencyMsSum"), 0)::float8 AS review_latency_ms,
         coalesce(sum("costUsd"), 0)::float8 AS cost_usd, coalesce(sum("costReported"), 0)::int AS cost_reported
  FROM ev
), weeks AS (
  SELECT count(DISTINCT date_trunc('week', d)::date)::int AS weeks
  FROM generate_series($2::date, $3::date, interval '1 day') AS d
), unattended_weeks AS (
  SELECT count(DISTINCT date_trunc('week', day)::date)::int AS weeks FROM ev WHERE unattended > 0
), channels AS (
  SELECT coalesce(array_agg(DISTINCT channel::text ORDER BY channel::text), '{}') AS channels
  FROM "ChannelDay" WHERE ${where} AND ($5::text IS NULL OR "repositoryId" = $5)
), medians AS (
  SELECT "developerId", percentile_cont(0.5) WITHIN GROUP (ORDER BY "maxConcurrency") AS median
  FROM "ConcurrencyDay" WHERE ${where} AND "maxConcurrency" > 0
  GROUP BY "developerId"
)
SELECT t.*, w.weeks, uw.weeks AS unattended_weeks, c.channels,
       (SELECT count(*)::int FROM medians) AS active_developers,
       (SELECT count(*)::int FROM medians WHERE median >= 3) AS meeting_parallel
FROM totals t, weeks w, unattended_weeks uw, channels c`;
  return {
    text,
    values: [scope.orgId, scope.from, scope.to, scope.developers ? [...scope.developers] : null, scope.repositoryId],
  };
}

export interface CriteriaTotals {
  finished: number;
  unassisted: number;
  unattended: number;
  sla_within: number;
  sla_breached: number;
  sla_missed: number;
  sla_open: number;
  prs_opened: number;
  prs_merged: number;
  merged_steered: number;
  merged_reviewed: number;
  merged_unreviewed: number;
  review_latency_ms: number;
  cost_usd: number;
  cost_reported: number;
  weeks: number;
  unattended_weeks: number;
  channels: string[];
  active_developers: number;
  meeting_parallel: number;
}

/** The verdicts from the query's one row: the same thresholds as the pure functions. */
export function criteriaFromTotals(t: CriteriaTotals, slaTarget: number): CriteriaSummary {
  const counted = t.sla_within + t.sla_breached + t.sla_missed;
  const completionRate = t.finished > 0 ? t.unassisted / t.finished : null;
  const slaRate = counted > 0 ? t.sla_within / counted : null;
  const share = t.active_developers > 0 ? t.meeting_parallel / t.active_developers : null;
  const summary: Omit<CriteriaSummary, 'l4'> = {
    unattended: {
      weeks: t.weeks,
      weeksWithUnattended: t.unattended_weeks,
      unattended: t.unattended,
      finished: t.finished,
      meets: t.weeks > 0 && t.unattended_weeks === t.weeks,
    },
    channels: channelsUsed(t.channels.map((channel) => ({ channel }))),
    parallel: {
      activeDevelopers: t.active_developers,
      meeting: t.meeting_parallel,
      share,
      meets: share !== null && share >= PARALLEL_GROUP_TARGET,
    },
    completion: {
      finished: t.finished,
      unassisted: t.unassisted,
      rate: completionRate,
      meets: completionRate !== null && completionRate > COMPLETION_TARGET,
    },
    sla: {
      within: t.sla_within,
      breached: t.sla_breached,
      missed: t.sla_missed,
      open: t.sla_open,
      counted,
      rate: slaRate,
      meets: slaRate !== null && slaRate >= slaTarget,
    },
    pullRequests: {
      opened: t.prs_opened,
      merged: t.prs_merged,
      steered: t.merged_steered,
      reviewed: t.merged_reviewed,
      unreviewed: t.merged_unreviewed,
      withoutOversight: t.merged_reviewed + t.merged_unreviewed,
      meanReviewLatencyMs: t.merged_reviewed > 0 ? t.review_latency_ms / t.merged_reviewed : null,
    },
    cost: {
      reportedUsd: t.cost_usd,
      reported: t.cost_reported,
      sessions: t.finished,
      usdPerMergedPr: t.prs_merged > 0 && t.cost_reported > 0 ? t.cost_usd / t.prs_merged : null,
      coverage: t.finished > 0 ? t.cost_reported / t.finished : null,
    },
  };
  return {
    ...summary,
    l4: summary.unattended.meets && summary.channels.meets && summary.parallel.meets && summary.completion.meets && summary.sla.meets,
  };
}

/**
 * criteriaQuery week by week (ISO weeks, clipped to the period): one row per week with the same
 * totals and a `week` (its Monday, YYYY-MM-DD), for the trend lines under each criterion.
 */
export function criteriaByWeekQuery(scope: CriteriaScope): { text: string; values: unknown[] } {
  const where = `"orgId" = $1 AND day BETWEEN $2::date AND $3::date AND ($4::text[] IS NULL OR "developerId" = ANY($4::text[]))`;
  const week = `to_char(date_trunc('week', day), 'YYYY-MM-DD')`;
  const text = `
WITH weeks AS (
  SELECT DISTINCT to_char(date_trunc('week', d), 'YYYY-MM-DD') AS week FROM generate_series($2::date, $3::date, interval '1 day') AS d
), ev AS (
  SELECT ${week} AS week,
         sum(finished)::int AS finished, sum(unassisted)::int AS unassisted, sum(unattended)::int AS unattended,
         sum("slaWithin")::int AS sla_within, sum("slaBreached")::int AS sla_breached, sum("slaMissed")::int AS sla_missed,
         sum("slaOpen")::int AS sla_open, sum("prsOpened")::int AS prs_opened, sum("prsMerged")::int AS prs_merged,
         sum("mergedSteered")::int AS merged_steered, sum("mergedReviewed")::int AS merged_reviewed,
         sum("mergedUnreviewed")::int AS merged_unreviewed, sum("reviewLatencyMsSum")::float8 AS review_latency_ms,
         sum("costUsd")::float8 AS cost_usd, sum("costReported")::int AS cost_reported
  FROM "EvidenceDay" WHERE ${where} AND ($5::text IS NULL OR "repositoryId" = $5)
  GROUP BY 1
), channels AS (
  SELECT ${week} AS week, array_agg(DISTINCT channel::text ORDER BY channel::text) AS channels
  FROM "ChannelDay" WHERE ${where} AND ($5::text IS NULL OR "repositoryId" = $5)
  GROUP BY 1
), medians AS (
  SELECT ${week} AS week, "developerId", percentile_cont(0.5) WITHIN GROUP (ORDER BY "maxConcurrency") AS median
  FROM "ConcurrencyDay" WHERE ${where} AND "maxConcurrency" > 0
  GROUP BY 1, 2
), parallel AS (
  SELECT week, count(*)::int AS active_developers, count(*) FILTER (WHERE median >= 3)::int AS meeting_parallel FROM medians GROUP BY 1
)
SELECT w.week,
       coalesce(ev.finished, 0) AS finished, coalesce(ev.unassisted, 0) AS unassisted, coalesce(ev.unattended, 0) AS unattended,
       coalesce(ev.sla_within, 0) AS sla_within, coalesce(ev.sla_breached, 0) AS sla_breached, coalesce(ev.sla_missed, 0) AS sla_missed,
       coalesce(ev.sla_open, 0) AS sla_open, coalesce(ev.prs_opened, 0) AS prs_opened, coalesce(ev.prs_merged, 0) AS prs_merged,
       coalesce(ev.merged_steered, 0) AS merged_steered, coalesce(ev.merged_reviewed, 0) AS merged_reviewed,
       coalesce(ev.merged_unreviewed, 0) AS merged_unreviewed, coalesce(ev.review_latency_ms, 0) AS review_latency_ms,
       coalesce(ev.cost_usd, 0) AS cost_usd, coalesce(ev.cost_reported, 0) AS cost_reported,
       1 AS weeks, (coalesce(ev.unattended, 0) > 0)::int AS unattended_weeks,
       coalesce(c.channels, '{}') AS channels,
       coalesce(p.active_developers, 0) AS active_developers, coalesce(p.meeting_parallel, 0) AS meeting_parallel
FROM weeks w
LEFT JOIN ev ON ev.week = w.week
LEFT JOIN channels c ON c.week = w.week
LEFT JOIN parallel p ON p.week = w.week
ORDER BY w.week`;
  return { text, values: [scope.orgId, scope.from, scope.to, scope.developers ? [...scope.developers] : null, scope.repositoryId] };
}
