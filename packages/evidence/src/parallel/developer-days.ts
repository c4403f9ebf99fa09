// What the Parallel page reads of its scope (an org or a team), as SQL with its parameters from
// $1: the developer-days themselves (the heatmap's cells), and per developer their active days
// counted by daily max (the medians, and the heatmap's ranking) and their period's figures. A
// developer's concurrency spans every repository (./scope.ts).
import { CUMULATIVE, developersWithWeeks, firstWholeWeek, lastWholeWeek, parallelCriterionOfCounts } from '@parallax/metrics';
import type { ParallelScope } from './scope.ts';

export interface Relation {
  text: string;
  values: unknown[];
}

export function developerDays(scope: Pick<ParallelScope, 'orgId' | 'from' | 'to' | 'restrictTo'>): Relation {
  return {
    text: `(SELECT c."developerId" AS developer_id, c.day, c."maxConcurrency" AS max_concurrency, c."activeMs" AS active_ms, c."areaMs" AS area_ms
      FROM "ConcurrencyDay" c
      WHERE c."orgId" = $1 AND ($2::text[] IS NULL OR c."developerId" = ANY($2::text[])) AND c.day BETWEEN $3::date AND $4::date
        AND c."maxConcurrency" > 0)`,
    values: [scope.orgId, scope.restrictTo, scope.from, scope.to],
  };
}

/**
 * The people a page lists, as SQL over the relation `d` and parameters $org, $restrict: a
 * team's members; or the org's members and anyone else with rows (a former member).
 */
export const peopleInScope = (orgParam: string, restrictParam: string) => `(
  SELECT unnest(${restrictParam}::text[]) AS id WHERE ${restrictParam}::text[] IS NOT NULL
  UNION SELECT m."userId" FROM "Membership" m WHERE ${restrictParam}::text[] IS NULL AND m."orgId" = ${orgParam}
  UNION SELECT d.developer_id FROM d WHERE ${restrictParam}::text[] IS NULL)`;

/**
 * `hist(developer_id, d1, d2, d3, d4, d5)`: per developer with activity in the scope, their
 * active days in the period counted by daily max (d5: 5 or more), as common table expressions
 * for a statement that opens with WITH RECURSIVE, with parameters from $1.
 *
 * Whole weeks are the difference of two rows of the developer's running sums in DeveloperWeek
 * (cumDaysAtMax*: the last week up to the period's last whole week, less the last week before
 * its first), and the days at the period's ends come from ConcurrencyDay. So a developer costs
 * a few index probes however many sessions fill their weeks, where summing a row per
 * developer-week grew with the org's activity. The developers are the team's, or everyone with
 * weekly rows in the org, found by a skip scan of DeveloperWeek's key (a probe per developer).
 */
export function developerHistograms(scope: Pick<ParallelScope, 'orgId' | 'from' | 'to' | 'restrictTo'>): Relation {
  const first = firstWholeWeek('$3');
  const last = lastWholeWeek('$4');
  const probe = (bound: string) =>
    `SELECT ${CUMULATIVE.map((c, i) => `${c} AS c${i + 1}`).join(', ')} FROM "DeveloperWeek"
    WHERE "orgId" = $1 AND "developerId" = m.dev AND week ${bound} ORDER BY week DESC LIMIT 1`;
  const d = [1, 2, 3, 4, 5].map((i) => `d${i}`);
  return {
    text: `${developersWithWeeks('org_devs', '$1', { when: '$2::text[] IS NULL' })}, scope_devs AS (
  SELECT unnest($2::text[]) AS dev WHERE $2::text[] IS NOT NULL
  UNION
  SELECT dev FROM org_devs WHERE dev IS NOT NULL
), hist_parts AS (
  SELECT m.dev, ${d.map((x, i) => `hi.c${i + 1} - coalesce(lo.c${i + 1}, 0) AS ${x}`).join(', ')}
  FROM scope_devs m
  JOIN LATERAL (${probe(`<= ${last}`)}) hi ON ${first} <= ${last}
  LEFT JOIN LATERAL (${probe(`< ${first}`)}) lo ON true
  UNION ALL
  SELECT "developerId", ("maxConcurrency" = 1)::int, ("maxConcurrency" = 2)::int, ("maxConcurrency" = 3)::int,
         ("maxConcurrency" = 4)::int, ("maxConcurrency" >= 5)::int
  FROM "ConcurrencyDay"
  WHERE "orgId" = $1 AND ($2::text[] IS NULL OR "developerId" = ANY($2::text[])) AND "maxConcurrency" > 0
    AND (day BETWEEN $3::date AND least($4::date, ${first} - 1) OR day BETWEEN greatest($3::date, ${last} + 7) AND $4::date)
), hist AS (
  SELECT dev AS developer_id, ${d.map((x) => `sum(${x})::int AS ${x}`).join(', ')}
  FROM hist_parts GROUP BY dev
  HAVING sum(${d.join(' + ')}) > 0
)`,
    values: [scope.orgId, scope.restrictTo, scope.from, scope.to],
  };
}

/** SQL: developer `dev`'s highest daily max in the period, read from DeveloperWeek's weekly maxima and the end days. */
function periodMaxOf(dev: string): string {
  const first = firstWholeWeek('$3');
  const last = lastWholeWeek('$4');
  return `greatest(
    (SELECT max("maxConcurrency") FROM "DeveloperWeek"
     WHERE "orgId" = $1 AND "developerId" = ${dev} AND week BETWEEN ${first} AND ${last}),
    (SELECT max("maxConcurrency") FROM "ConcurrencyDay"
     WHERE "orgId" = $1 AND "developerId" = ${dev}
       AND (day BETWEEN $3::date AND least($4::date, ${first} - 1) OR day BETWEEN greatest($3::date, ${last} + 7) AND $4::date))
  )::int`;
}

/**
 * Per developer with activity in the scope: developer_id, period_max, active_days and
 * parallel_days (daily max of 3 or more), as common table expressions ending in `periods`
 * (after developerHistograms'). The period max is the histogram's highest bucket below 5; from
 * 5 up it is read exactly, from the developer's weekly and end-day maxima.
 */
export function developerPeriods(scope: Pick<ParallelScope, 'orgId' | 'from' | 'to' | 'restrictTo'>): Relation {
  const hist = developerHistograms(scope);
  return {
    text: `${hist.text}, periods AS (
  SELECT h.developer_id, h.d1 + h.d2 + h.d3 + h.d4 + h.d5 AS active_days, h.d3 + h.d4 + h.d5 AS parallel_days,
         -- A scalar subquery in CASE runs only for the rows that take its branch.
         CASE WHEN h.d5 > 0 THEN ${periodMaxOf('h.developer_id')}
              WHEN h.d4 > 0 THEN 4 WHEN h.d3 > 0 THEN 3 WHEN h.d2 > 0 THEN 2 ELSE 1 END AS period_max
  FROM hist h
)`,
    values: hist.values,
  };
}

/**
 * Criterion 3 per developer with activity in the scope, parallelCriterionQuery's columns
 * (developer_id, active_days, median_daily_max, meets, bucket, highest_daily_max,
 * parallel_days), as common table expressions ending in `criterion` (after
 * developerHistograms'). The histogram lumps days of 5 or more together: a developer whose
 * upper middle day (n/2 + 1) is among them has those days' exact values read from the daily
 * rollup, and one with such days but a median below 5 has only their highest read.
 */
export function developerCriterion(scope: Pick<ParallelScope, 'orgId' | 'from' | 'to' | 'restrictTo'>): Relation {
  const hist = developerHistograms(scope);
  return {
    text: `${hist.text}, need AS (
  SELECT h.*, (h.d1 + h.d2 + h.d3 + h.d4 + h.d5) / 2 + 1 > h.d1 + h.d2 + h.d3 + h.d4 AS exact FROM hist h
), counts AS (
  SELECT n.developer_id, x.v, x.k
  FROM need n CROSS JOIN LATERAL (VALUES (1, n.d1), (2, n.d2), (3, n.d3), (4, n.d4), (5, CASE WHEN n.exact THEN 0 ELSE n.d5 END)) AS x(v, k)
  WHERE x.k > 0
  UNION ALL
  SELECT c."developerId", c."maxConcurrency", count(*)
  FROM need n JOIN "ConcurrencyDay" c ON c."orgId" = $1 AND c."developerId" = n.developer_id
    AND c.day BETWEEN $3::date AND $4::date AND c."maxConcurrency" >= 5
  WHERE n.exact GROUP BY 1, 2
), criterion AS (
  SELECT p.developer_id, p.active_days, p.median_daily_max, p.meets, p.bucket, p.parallel_days,
         CASE WHEN n.d5 > 0 AND NOT n.exact THEN ${periodMaxOf('p.developer_id')} ELSE p.highest_daily_max END AS highest_daily_max
  FROM (${parallelCriterionOfCounts('counts')}) p JOIN need n ON n.developer_id = p.developer_id
  WHERE p.active_days > 0
)`,
    values: hist.values,
  };
}
