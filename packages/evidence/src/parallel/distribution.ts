// Criterion 3 over the scope (METRICS.md "Criterion 3"): each developer's median daily max
// over their active days, the group's distribution of those medians (1, 2, 3, 4, 5+) and the
// share of active developers meeting it, with the count. The metrics package's SQL twin of
// parallelCriterion computes the medians, from each developer's days counted by daily max in
// the weekly rollup's histogram (developerHistograms): a few probes per developer, however
// busy their year. The histogram lumps days of 5 or more together, so a developer whose middle
// day is among those has those days' exact values read from the daily rollup.
import type { Tx } from '@parallax/db';
import { MEDIAN_BUCKETS, type MedianBucket, PARALLEL_THRESHOLD, parallelCriterionOfCounts } from '@parallax/metrics';
import { developerHistograms } from './developer-days.ts';
import { labelPeople, orderTies } from './people.ts';
import { type ParallelScope, personLevel } from './scope.ts';

export async function getParallelDistribution(tx: Tx, scope: ParallelScope) {
  const hist = developerHistograms(scope);
  const rows = await tx.$queryRawUnsafe<
    { developerId: string; activeDays: number; medianDailyMax: number; meets: boolean; bucket: MedianBucket }[]
  >(
    `WITH RECURSIVE ${hist.text}, need AS (
       -- The higher middle day (n/2 + 1) among the days of 5 or more: the median needs their exact values.
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
     )
     SELECT p.developer_id AS "developerId", p.active_days AS "activeDays", p.median_daily_max AS "medianDailyMax", p.meets, p.bucket
     FROM (${parallelCriterionOfCounts('counts')}) p WHERE p.active_days > 0
     ORDER BY p.median_daily_max DESC, p.active_days DESC`,
    ...hist.values,
  );
  const tie = (a: (typeof rows)[number], b: (typeof rows)[number]) =>
    a.medianDailyMax === b.medianDailyMax && a.activeDays === b.activeDays;
  const level = personLevel(scope, rows.length);
  const medians = orderTies(rows, level, scope.orgId, tie);
  // The group's figures are counts over those same medians: no second pass over the days.
  const activeDevelopers = medians.length;
  const meeting = medians.filter((m) => m.meets).length;
  const buckets = new Map<MedianBucket, number>();
  for (const m of medians) buckets.set(m.bucket, (buckets.get(m.bucket) ?? 0) + 1);
  const people = await labelPeople(tx, scope, medians, { level });
  return {
    threshold: PARALLEL_THRESHOLD,
    developersInScope: scope.groupSize,
    activeDevelopers,
    meeting,
    share: activeDevelopers > 0 ? meeting / activeDevelopers : null,
    histogram: MEDIAN_BUCKETS.map((bucket) => ({ bucket, developers: buckets.get(bucket) ?? 0 })),
    level: people.level,
    developers: people.rows,
  };
}
