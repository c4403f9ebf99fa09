// developerThroughput (throughput.ts) in PostgreSQL over the rollups, for the variance page at
// scale: the same weeks, baseline, org baseline, multiplier and factors, kept equal to the pure
// function by a property test. It reads the rollups only (never raw sessions): DeveloperWeek for
// whole weeks, so its cost follows developer-weeks, not sessions.
import { firstWholeWeek, lastWholeWeek } from './rollup-week-sql.ts';
import type { ThroughputResult } from './throughput.ts';

export interface ThroughputQueryParams {
  orgId: string;
  from: string;
  to: string;
  developers: readonly string[];
  /** Counts only this repository's sessions, SLA outcomes and PRs (concurrency spans all). */
  repositoryId?: string | null;
}

export interface ThroughputRelations {
  /** Relations with EvidenceDay's, ConcurrencyDay's and DeveloperWeek's columns; table names, never user input. */
  evidence: string;
  concurrency: string;
  developerWeeks: string;
}

const ROLLUPS: ThroughputRelations = { evidence: '"EvidenceDay"', concurrency: '"ConcurrencyDay"', developerWeeks: '"DeveloperWeek"' };

/**
 * Rows, one per developer in the order given: developer_id, is_active, mean_weekly_throughput,
 * mean_weekly_succeeded, baseline_weeks, baseline, is_org_baseline, multiplier, mean_concurrency,
 * intervention_rate, pr_within_sla_rate, complex_share, org_baseline, org_baseline_weeks, weeks.
 *
 * Calendar weeks (the baseline's, back to the start of the history, and the period's whole
 * ones) come from DeveloperWeek; only the period's end days outside whole weeks from the daily
 * rollups. With a repository, its evidence is summed from the days, as DeveloperWeek spans all
 * repositories (concurrency always does).
 */
export function developerThroughputQuery(
  params: ThroughputQueryParams,
  relations: ThroughputRelations = ROLLUPS,
): { text: string; values: unknown[] } {
  const evidenceCols = (alias: string) =>
    `${alias}.finished, ${alias}.succeeded, ${alias}.intervened, ${alias}."complexFinished" AS complex,
         ${alias}."slaWithin" AS within, ${alias}."slaBreached" + ${alias}."slaMissed" AS late, ${alias}."prsMerged" AS merged`;
  // As two ranges on the parameters themselves, so the (orgId, day) index reads only those days.
  const endDays = (day: string) =>
    `(${day} BETWEEN $2::date AND ${firstWholeWeek('$2')} - 1 OR ${day} BETWEEN ${lastWholeWeek('$3')} + 7 AND $3::date)`;
  const text = `
WITH params AS (
  SELECT $1::text AS org, $2::date AS first_day, $3::date AS last_day, $4::text[] AS devs, $5::text AS repo
), bounds AS (
  -- Whole ISO weeks: the first Monday on or after first_day, the last whose Sunday is on or before last_day.
  SELECT date_trunc('week', (p.first_day + 6)::timestamp)::date AS first_monday,
         (date_trunc('week', (p.last_day + 1)::timestamp)::date - 7) AS last_monday
  FROM params p
), span AS (
  SELECT b.*, greatest(0, (b.last_monday - b.first_monday) / 7 + 1) AS n_weeks FROM bounds b
), wk AS (
  -- Every developer's calendar weeks up to the period's last whole one.
  SELECT w."developerId" AS dev, w.week, w."maxConcurrency" AS max_c, w."activeMs" AS active_ms, w."areaMs" AS area_ms, ${evidenceCols('w')}
  FROM ${relations.developerWeeks} w, params p, span s
  WHERE w."orgId" = p.org AND w.week <= s.last_monday
), repo_wk AS (
  SELECT e."developerId" AS dev, date_trunc('week', e.day::timestamp)::date AS week,
         sum(e.finished) AS finished, sum(e.succeeded) AS succeeded, sum(e.intervened) AS intervened,
         sum(e."complexFinished") AS complex, sum(e."slaWithin") AS within, sum(e."slaBreached" + e."slaMissed") AS late,
         sum(e."prsMerged") AS merged
  FROM ${relations.evidence} e, params p, span s
  WHERE p.repo IS NOT NULL AND e."orgId" = p.org AND e."repositoryId" = p.repo AND e.day < s.last_monday + 7
  GROUP BY 1, 2
), ev_wk AS (
  SELECT dev, week, finished, succeeded, intervened, complex, within, late, merged FROM wk, params p WHERE p.repo IS NULL
  UNION ALL
  SELECT dev, week, finished, succeeded, intervened, complex, within, late, merged FROM repo_wk
), edge_ev AS (
  -- The period's days outside its whole weeks.
  SELECT e."developerId" AS dev, ${evidenceCols('e')}
  FROM ${relations.evidence} e, params p, span s
  WHERE e."orgId" = $1 AND ${endDays('e.day')} AND (p.repo IS NULL OR e."repositoryId" = p.repo)
), edge_cc AS (
  SELECT c."developerId" AS dev, c."activeMs" AS active_ms, c."areaMs" AS area_ms
  FROM ${relations.concurrency} c, params p, span s
  WHERE c."orgId" = $1 AND ${endDays('c.day')}
), single AS (
  -- METRICS.md "Baseline": weeks with activity whose daily max never exceeded 1.
  SELECT w.dev, coalesce(CASE WHEN p.repo IS NULL THEN w.merged ELSE r.merged END, 0) AS merged
  FROM wk w CROSS JOIN params p
  LEFT JOIN repo_wk r ON r.dev = w.dev AND r.week = w.week
  WHERE w.active_ms > 0 AND w.max_c <= 1
), org AS (
  SELECT avg(merged)::float8 AS baseline, count(*)::int AS weeks FROM single
), own AS (
  SELECT dev, avg(merged)::float8 AS baseline, count(*)::int AS weeks FROM single GROUP BY dev
), period_ev AS (
  SELECT dev,
         sum(finished) AS finished, sum(intervened) AS intervened, sum(complex) AS complex,
         sum(within) AS within, sum(within + late) AS closed, sum(finished + merged) AS touched,
         coalesce(sum(merged) FILTER (WHERE whole), 0) AS merged_in_weeks,
         coalesce(sum(succeeded) FILTER (WHERE whole), 0) AS succeeded_in_weeks
  FROM (
    SELECT dev, finished, succeeded, intervened, complex, within, late, merged, true AS whole
    FROM ev_wk, span s WHERE week BETWEEN s.first_monday AND s.last_monday
    UNION ALL
    SELECT dev, finished, succeeded, intervened, complex, within, late, merged, false FROM edge_ev
  ) x GROUP BY dev
), period_cc AS (
  SELECT dev, sum(active_ms) AS active_ms, sum(area_ms) AS area_ms, bool_or(active_ms > 0) AS active
  FROM (
    SELECT dev, active_ms, area_ms FROM wk, span s WHERE week BETWEEN s.first_monday AND s.last_monday
    UNION ALL
    SELECT dev, active_ms, area_ms FROM edge_cc
  ) x GROUP BY dev
), figures AS (
  SELECT d.dev, d.ord,
         coalesce(pc.active, false) OR coalesce(pe.touched, 0) > 0 AS is_active,
         CASE WHEN s.n_weeks > 0 THEN coalesce(pe.merged_in_weeks, 0)::float8 / s.n_weeks END AS mean_weekly_throughput,
         CASE WHEN s.n_weeks > 0 THEN coalesce(pe.succeeded_in_weeks, 0)::float8 / s.n_weeks END AS mean_weekly_succeeded,
         coalesce(ow.weeks, 0) AS baseline_weeks,
         CASE WHEN ow.weeks > 0 THEN ow.baseline ELSE o.baseline END AS baseline,
         ow.weeks IS NULL AS is_org_baseline,
         CASE WHEN pc.active_ms > 0 THEN (pc.area_ms / pc.active_ms)::float8 END AS mean_concurrency,
         CASE WHEN pe.finished > 0 THEN pe.intervened::float8 / pe.finished END AS intervention_rate,
         CASE WHEN pe.closed > 0 THEN pe.within::float8 / pe.closed END AS pr_within_sla_rate,
         CASE WHEN pe.finished > 0 THEN pe.complex::float8 / pe.finished END AS complex_share,
         o.baseline AS org_baseline, o.weeks AS org_baseline_weeks,
         s.n_weeks, s.first_monday
  FROM params p
  CROSS JOIN unnest(p.devs) WITH ORDINALITY AS d(dev, ord)
  CROSS JOIN span s CROSS JOIN org o
  LEFT JOIN own ow ON ow.dev = d.dev
  LEFT JOIN period_ev pe ON pe.dev = d.dev
  LEFT JOIN period_cc pc ON pc.dev = d.dev
)
SELECT dev AS developer_id, is_active, mean_weekly_throughput, mean_weekly_succeeded, baseline_weeks, baseline,
       is_org_baseline,
       CASE WHEN is_active AND mean_weekly_throughput IS NOT NULL AND baseline > 0
            THEN mean_weekly_throughput / baseline END AS multiplier,
       mean_concurrency, intervention_rate, pr_within_sla_rate, complex_share, org_baseline, org_baseline_weeks,
       ARRAY(SELECT to_char(first_monday + 7 * i, 'YYYY-MM-DD') FROM generate_series(0, n_weeks - 1) AS i) AS weeks
FROM figures ORDER BY ord`;
  return {
    text,
    values: [params.orgId, params.from, params.to, [...params.developers], params.repositoryId ?? null],
  };
}

/** The query's rows as developerThroughput's result (the org figures repeat on every row). */
export function readThroughputRows(rows: readonly Record<string, unknown>[], weeksIfEmpty: string[]): ThroughputResult {
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  const first = rows[0];
  return {
    orgBaseline: first ? num(first.org_baseline) : null,
    orgBaselineWeeks: first ? Number(first.org_baseline_weeks) : 0,
    weeks: first ? (first.weeks as string[]) : weeksIfEmpty,
    developers: rows.map((r) => ({
      developerId: r.developer_id as string,
      isActive: r.is_active as boolean,
      meanWeeklyThroughput: num(r.mean_weekly_throughput),
      meanWeeklySucceeded: num(r.mean_weekly_succeeded),
      baselineWeeks: Number(r.baseline_weeks),
      baseline: num(r.baseline),
      isOrgBaseline: r.is_org_baseline as boolean,
      multiplier: num(r.multiplier),
      meanConcurrency: num(r.mean_concurrency),
      interventionRate: num(r.intervention_rate),
      prWithinSlaRate: num(r.pr_within_sla_rate),
      complexShare: num(r.complex_share),
    })),
  };
}
