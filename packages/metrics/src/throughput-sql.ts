// developerThroughput (throughput.ts) in PostgreSQL over the rollups, for the variance page at
// scale: the same weeks, baseline, org baseline, multiplier and factors, kept equal to the pure
// function by a property test. It reads the rollups only (never raw sessions): for all
// repositories, two rows of DeveloperWeek's running sums per developer, so its cost follows the
// org's developers, not its sessions or the period's length; in one repository, every
// developer-week up to the period's end.
import { developersWithWeeks, firstWholeWeek, lastWholeWeek } from './rollup-week-sql.ts';
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
 * intervention_rate, pr_within_sla_rate, complex_share, org_baseline, org_baseline_weeks, and weeks (the period's whole
 * weeks, on the first row only).
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
  // As two ranges on the parameters themselves, so the (orgId, day) index reads only those days.
  const endDays = (day: string) =>
    `(${day} BETWEEN $2::date AND least($3::date, ${firstWholeWeek('$2')} - 1) OR ${day} BETWEEN greatest($2::date, ${lastWholeWeek('$3')} + 7) AND $3::date)`;
  // A week's evidence: DeveloperWeek's own, or with a repository that repository's (repo_wk).
  const repo = !!params.repositoryId;
  const ev = (col: string) => (repo ? `coalesce(r.${col}, 0)` : `w.${col}`);
  const repoWeeks = repo
    ? `, repo_wk AS (
  SELECT e."developerId" AS dev, date_trunc('week', e.day::timestamp)::date AS week,
         sum(e.finished) AS finished, sum(e.succeeded) AS succeeded, sum(e.intervened) AS intervened,
         sum(e."complexFinished") AS "complexFinished", sum(e."slaWithin") AS "slaWithin",
         sum(e."slaBreached") AS "slaBreached", sum(e."slaMissed") AS "slaMissed", sum(e."prsMerged") AS "prsMerged"
  FROM ${relations.evidence} e, span s
  WHERE e."orgId" = $1 AND e."repositoryId" = $5 AND e.day < s.last_monday + 7
  GROUP BY 1, 2
)`
    : '';
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
)${repoWeeks}, weekly AS (${repo ? weeklyOfRepository(relations, ev) : weeklyFromRunningSums(relations)}), edge AS (
  -- The period's days outside its whole weeks.
  SELECT dev, sum(finished) AS finished, sum(intervened) AS intervened, sum(complex) AS complex, sum(within) AS within,
         sum(late) AS late, sum(merged) AS merged, sum(active_ms) AS active_ms, sum(area_ms) AS area_ms
  FROM (
    SELECT e."developerId" AS dev, e.finished, e.intervened, e."complexFinished" AS complex, e."slaWithin" AS within,
           e."slaBreached" + e."slaMissed" AS late, e."prsMerged" AS merged, 0::float8 AS active_ms, 0::float8 AS area_ms
    FROM ${relations.evidence} e WHERE e."orgId" = $1 AND ${endDays('e.day')} AND ($5::text IS NULL OR e."repositoryId" = $5)
    UNION ALL
    SELECT c."developerId", 0, 0, 0, 0, 0, 0, c."activeMs", c."areaMs"
    FROM ${relations.concurrency} c WHERE c."orgId" = $1 AND ${endDays('c.day')}
  ) x GROUP BY dev
), org AS (
  SELECT (sum(single_merged)::float8 / nullif(sum(single_weeks), 0)) AS baseline, coalesce(sum(single_weeks), 0)::int AS weeks FROM weekly
), figures AS (
  SELECT d.dev, d.ord,
         coalesce(wk.active_ms, 0) + coalesce(ed.active_ms, 0) > 0
           OR coalesce(wk.finished + wk.merged, 0) + coalesce(ed.finished + ed.merged, 0) > 0 AS is_active,
         CASE WHEN s.n_weeks > 0 THEN coalesce(wk.merged, 0)::float8 / s.n_weeks END AS mean_weekly_throughput,
         CASE WHEN s.n_weeks > 0 THEN coalesce(wk.succeeded, 0)::float8 / s.n_weeks END AS mean_weekly_succeeded,
         coalesce(wk.single_weeks, 0)::int AS baseline_weeks,
         CASE WHEN wk.single_weeks > 0 THEN wk.single_merged::float8 / wk.single_weeks ELSE o.baseline END AS baseline,
         coalesce(wk.single_weeks, 0) = 0 AS is_org_baseline,
         t.active_ms, t.area_ms, t.finished, t.intervened, t.complex, t.within, t.late,
         o.baseline AS org_baseline, o.weeks AS org_baseline_weeks,
         s.n_weeks, s.first_monday
  FROM params p
  CROSS JOIN unnest(p.devs) WITH ORDINALITY AS d(dev, ord)
  CROSS JOIN span s CROSS JOIN org o
  LEFT JOIN weekly wk ON wk.dev = d.dev
  LEFT JOIN edge ed ON ed.dev = d.dev
  CROSS JOIN LATERAL (
    SELECT coalesce(wk.active_ms, 0) + coalesce(ed.active_ms, 0) AS active_ms, coalesce(wk.area_ms, 0) + coalesce(ed.area_ms, 0) AS area_ms,
           coalesce(wk.finished, 0) + coalesce(ed.finished, 0) AS finished, coalesce(wk.intervened, 0) + coalesce(ed.intervened, 0) AS intervened,
           coalesce(wk.complex, 0) + coalesce(ed.complex, 0) AS complex, coalesce(wk.within, 0) + coalesce(ed.within, 0) AS within,
           coalesce(wk.late, 0) + coalesce(ed.late, 0) AS late
  ) t
)
SELECT dev AS developer_id, is_active, mean_weekly_throughput, mean_weekly_succeeded, baseline_weeks, baseline,
       is_org_baseline,
       CASE WHEN is_active AND mean_weekly_throughput IS NOT NULL AND baseline > 0
            THEN mean_weekly_throughput / baseline END AS multiplier,
       CASE WHEN active_ms > 0 THEN (area_ms / active_ms)::float8 END AS mean_concurrency,
       CASE WHEN finished > 0 THEN intervened::float8 / finished END AS intervention_rate,
       CASE WHEN within + late > 0 THEN within::float8 / (within + late) END AS pr_within_sla_rate,
       CASE WHEN finished > 0 THEN complex::float8 / finished END AS complex_share,
       org_baseline, org_baseline_weeks,
       -- On the first row only: the same on every row, and a year of them on 500 rows is 26k strings.
       CASE WHEN ord = 1 THEN ARRAY(SELECT to_char(first_monday + 7 * i, 'YYYY-MM-DD') FROM generate_series(0, n_weeks - 1) AS i) END AS weeks
FROM figures ORDER BY ord`;
  return {
    text,
    values: [params.orgId, params.from, params.to, [...params.developers], params.repositoryId ?? null],
  };
}

/**
 * weekly, for all repositories, from DeveloperWeek's running sums (RUNNING_SUMS): the baseline's
 * single-agent weeks are those up to the period's last whole week, the period's whole weeks the
 * difference of that row and the last before them. Two index probes per developer, and one to
 * find each developer (a skip scan of the key): its cost follows the org's developers, not how
 * busy their weeks were or how long the period is. Every developer of the org is in it, for the
 * org baseline.
 */
function weeklyFromRunningSums(relations: ThroughputRelations): string {
  const sums = [
    ['finished', '"cumFinished"'],
    ['succeeded', '"cumSucceeded"'],
    ['intervened', '"cumIntervened"'],
    ['complex', '"cumComplexFinished"'],
    ['within', '"cumSlaWithin"'],
    ['late', '"cumSlaLate"'],
    ['merged', '"cumPrsMerged"'],
    ['active_ms', '"cumActiveMs"'],
    ['area_ms', '"cumAreaMs"'],
  ] as const;
  const probe = (bound: string) => `SELECT "cumSingleWeeks" AS single_weeks, "cumSingleMerged" AS single_merged,
      ${sums.map(([name, col]) => `${col} AS ${name}`).join(', ')}
    FROM ${relations.developerWeeks} WHERE "orgId" = $1 AND "developerId" = d.dev AND week ${bound} ORDER BY week DESC LIMIT 1`;
  return `
  WITH RECURSIVE ${developersWithWeeks('devs', '$1', { table: relations.developerWeeks })}
  SELECT d.dev, hi.single_weeks, hi.single_merged,
         ${sums.map(([name]) => `CASE WHEN s.n_weeks > 0 THEN hi.${name} - coalesce(lo.${name}, 0) ELSE 0 END AS ${name}`).join(',\n         ')}
  FROM devs d CROSS JOIN span s
  JOIN LATERAL (${probe('<= s.last_monday')}) hi ON true
  LEFT JOIN LATERAL (${probe('< s.first_monday')}) lo ON true
  WHERE d.dev IS NOT NULL
`;
}

/**
 * weekly in one repository: every developer's calendar weeks up to the period's last whole one,
 * in one pass, with that repository's evidence of each week (repo_wk; DeveloperWeek's
 * concurrency spans all repositories). The baseline's single-agent weeks (METRICS.md
 * "Baseline": activity, daily max never above 1) are the developer's, their PRs the repository's.
 */
function weeklyOfRepository(relations: ThroughputRelations, ev: (col: string) => string): string {
  return `
  SELECT w."developerId" AS dev,
         count(*) FILTER (WHERE w."activeMs" > 0 AND w."maxConcurrency" <= 1) AS single_weeks,
         coalesce(sum(${ev('"prsMerged"')}) FILTER (WHERE w."activeMs" > 0 AND w."maxConcurrency" <= 1), 0) AS single_merged,
         coalesce(sum(${ev('finished')}) FILTER (WHERE whole), 0) AS finished,
         coalesce(sum(${ev('succeeded')}) FILTER (WHERE whole), 0) AS succeeded,
         coalesce(sum(${ev('intervened')}) FILTER (WHERE whole), 0) AS intervened,
         coalesce(sum(${ev('"complexFinished"')}) FILTER (WHERE whole), 0) AS complex,
         coalesce(sum(${ev('"slaWithin"')}) FILTER (WHERE whole), 0) AS within,
         coalesce(sum(${ev('"slaBreached"')} + ${ev('"slaMissed"')}) FILTER (WHERE whole), 0) AS late,
         coalesce(sum(${ev('"prsMerged"')}) FILTER (WHERE whole), 0) AS merged,
         coalesce(sum(w."activeMs") FILTER (WHERE whole), 0) AS active_ms,
         coalesce(sum(w."areaMs") FILTER (WHERE whole), 0) AS area_ms
  FROM (SELECT w.*, w.week >= s.first_monday AS whole FROM ${relations.developerWeeks} w, span s
        WHERE w."orgId" = $1 AND w.week <= s.last_monday) w
  LEFT JOIN repo_wk r ON r.dev = w."developerId" AND r.week = w.week
  GROUP BY 1
`;
}

/** The query's rows as developerThroughput's result (the org figures repeat on every row, the weeks are on the first). */
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
