// dailyConcurrency (concurrency.ts) in PostgreSQL, for the evidence pages at scale: the same
// definition, kept equal to the pure function by a property test on generated histories.
// Half-open intervals, ends before starts at one instant, days of the org's zone (23 or 25
// hours across a change), running sessions up to `now` and nothing after it.

export interface DailyConcurrencyParams {
  from: string;
  to: string;
  timeZone: string;
  now: Date;
  /** Developers to list even without any session. */
  developers?: readonly string[];
}

/**
 * The query over `sessions`, a relation (a table name or a parenthesised SELECT, never user
 * input) with columns developer_id text, started_at timestamptz, ended_at timestamptz.
 * Rows: developer_id, day (YYYY-MM-DD), max_concurrency, mean_concurrency (null on a day
 * without activity), active_ms, area_ms (the integral of concurrency, for rollups); ordered by
 * developer, then day.
 */
export function dailyConcurrencyQuery(sessions: string, params: DailyConcurrencyParams): { text: string; values: unknown[] } {
  const text = `
WITH params AS (
  SELECT $1::date AS first_day, $2::date AS last_day, $3::text AS tz, $4::timestamptz AS now
), days AS (
  SELECT d::date AS day,
         (d::date::timestamp AT TIME ZONE p.tz) AS day_start,
         least(((d::date + 1)::timestamp AT TIME ZONE p.tz), p.now) AS day_end
  FROM params p, generate_series(p.first_day, p.last_day, interval '1 day') AS d
), intervals AS (
  SELECT s.developer_id, s.started_at AS lo, coalesce(s.ended_at, p.now) AS hi
  FROM ${sessions} s, params p
  WHERE s.started_at IS NOT NULL
), clipped AS (
  SELECT i.developer_id, d.day, greatest(i.lo, d.day_start) AS lo, least(i.hi, d.day_end) AS hi
  FROM intervals i JOIN days d ON i.lo < d.day_end AND i.hi > d.day_start
), events AS (
  SELECT developer_id, day, lo AS t, 1 AS delta FROM clipped WHERE hi > lo
  UNION ALL
  SELECT developer_id, day, hi AS t, -1 AS delta FROM clipped WHERE hi > lo
), counted AS (
  SELECT developer_id, day, t,
         sum(delta) OVER w AS n,
         lead(t) OVER w AS next_t
  FROM events
  WINDOW w AS (PARTITION BY developer_id, day ORDER BY t, delta ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
), per_day AS (
  SELECT developer_id, day,
         max(n) AS max_concurrency,
         sum(CASE WHEN n > 0 THEN n * extract(epoch FROM next_t - t) * 1000 ELSE 0 END) AS area_ms,
         sum(CASE WHEN n > 0 THEN extract(epoch FROM next_t - t) * 1000 ELSE 0 END) AS active_ms
  FROM counted GROUP BY developer_id, day
), developers AS (
  SELECT developer_id FROM ${sessions} s
  UNION SELECT unnest($5::text[])
)
SELECT dev.developer_id,
       to_char(d.day, 'YYYY-MM-DD') AS day,
       coalesce(pd.max_concurrency, 0)::int AS max_concurrency,
       CASE WHEN coalesce(pd.active_ms, 0) > 0 THEN (pd.area_ms / pd.active_ms)::float8 END AS mean_concurrency,
       round(coalesce(pd.active_ms, 0))::float8 AS active_ms,
       round(coalesce(pd.area_ms, 0))::float8 AS area_ms
FROM developers dev CROSS JOIN days d
LEFT JOIN per_day pd ON pd.developer_id = dev.developer_id AND pd.day = d.day
ORDER BY dev.developer_id COLLATE "C", d.day`;
  return { text, values: [params.from, params.to, params.timeZone, params.now, [...(params.developers ?? [])]] };
}
