// parallelCriterion (concurrency.ts) in PostgreSQL, per developer over rows of daily max
// concurrency (the ConcurrencyDay rollup, or dailyConcurrencyQuery's output): the median of
// daily max over the active days, and whether it reaches 3. percentile_cont(0.5) is the
// pure median's mean of the two middle values on an even count. Kept equal to the pure
// function by a property test.

/** A developer's median daily max falls in one bar of the distribution: 1, 2, 3, 4 or 5+ (a median of 2.5 is in "2": below the threshold). */
export const MEDIAN_BUCKETS = ['1', '2', '3', '4', '5+'] as const;
export type MedianBucket = (typeof MEDIAN_BUCKETS)[number];

export function medianBucket(medianDailyMax: number): MedianBucket {
  return MEDIAN_BUCKETS[Math.min(Math.max(Math.floor(medianDailyMax), 1), 5) - 1]!;
}

/** The threshold of criterion 3, for the SQL below and any chart that marks it. */
export const PARALLEL_THRESHOLD = 3;

/**
 * The query over `days`, a relation (a table name or a parenthesised SELECT, never user
 * input) with columns developer_id text and max_concurrency int, one row per developer-day
 * (days without activity may be present with 0; they are not active days). Rows:
 * developer_id, active_days, median_daily_max (float8; null without active days), meets,
 * bucket (MEDIAN_BUCKETS' label, null without active days), highest_daily_max and
 * parallel_days (active days at 3 or more; 0 without active days); developers in code unit order.
 */
export function parallelCriterionQuery(days: string): string {
  return parallelCriterionOfCounts(`(SELECT d.developer_id, d.max_concurrency AS v, count(*) AS k FROM ${days} d GROUP BY 1, 2)`);
}

/**
 * The same rows from `counts`, a relation of (developer_id, v, k): each developer's count k of
 * days at daily max v. A source that lumps days of 5 or more together as v = 5 (the weekly
 * rollup's histogram) gives exact medians wherever both middle values are below 5, and then a
 * highest_daily_max of at most 5.
 *
 * The median is read from those counts (a handful of rows per developer) rather than by
 * sorting every day: the values at positions (n+1)/2 and n/2+1 (integer division) of the n
 * sorted active days, averaged, which is percentile_cont(0.5) exactly. A year of an org of 500
 * is 120k days to sort, and about 3k counts.
 */
export function parallelCriterionOfCounts(counts: string): string {
  return `
WITH running AS (
  -- sum() of a bigint is numeric: cast back, so that (n + 1) / 2 divides as integers.
  SELECT developer_id, v, k, (sum(k) FILTER (WHERE v >= 1) OVER (PARTITION BY developer_id ORDER BY v))::bigint AS upto,
         coalesce(sum(k) FILTER (WHERE v >= 1) OVER (PARTITION BY developer_id), 0)::bigint AS n
  FROM ${counts} counts
), medians AS (
  SELECT developer_id, n,
         ((min(v) FILTER (WHERE v >= 1 AND upto >= (n + 1) / 2) + min(v) FILTER (WHERE v >= 1 AND upto >= n / 2 + 1)) / 2.0)::float8 AS m,
         coalesce(max(v) FILTER (WHERE v >= 1), 0)::int AS highest,
         coalesce(sum(k) FILTER (WHERE v >= ${PARALLEL_THRESHOLD}), 0)::int AS parallel_days
  FROM running GROUP BY developer_id, n
)
SELECT developer_id, n::int AS active_days, m AS median_daily_max, coalesce(m >= ${PARALLEL_THRESHOLD}, false) AS meets,
       CASE floor(m) WHEN 1 THEN '1' WHEN 2 THEN '2' WHEN 3 THEN '3' WHEN 4 THEN '4'
         ELSE CASE WHEN n > 0 THEN '5+' END
       END AS bucket,
       highest AS highest_daily_max, parallel_days
FROM medians
ORDER BY developer_id COLLATE "C"`;
}
