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
 * bucket (MEDIAN_BUCKETS' label, null without active days); developers in code unit order.
 */
export function parallelCriterionQuery(days: string): string {
  return `
SELECT developer_id,
       count(*) FILTER (WHERE max_concurrency >= 1)::int AS active_days,
       (percentile_cont(0.5) WITHIN GROUP (ORDER BY max_concurrency) FILTER (WHERE max_concurrency >= 1))::float8 AS median_daily_max,
       coalesce((percentile_cont(0.5) WITHIN GROUP (ORDER BY max_concurrency) FILTER (WHERE max_concurrency >= 1)) >= ${PARALLEL_THRESHOLD}, false) AS meets,
       CASE floor(percentile_cont(0.5) WITHIN GROUP (ORDER BY max_concurrency) FILTER (WHERE max_concurrency >= 1))
         WHEN 1 THEN '1' WHEN 2 THEN '2' WHEN 3 THEN '3' WHEN 4 THEN '4'
         ELSE CASE WHEN count(*) FILTER (WHERE max_concurrency >= 1) > 0 THEN '5+' END
       END AS bucket
FROM ${days} d
GROUP BY developer_id
ORDER BY developer_id COLLATE "C"`;
}
