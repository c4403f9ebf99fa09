// Criterion 3 over the scope (METRICS.md "Criterion 3"): each developer's median daily max
// over their active days, the group's distribution of those medians (1, 2, 3, 4, 5+) and the
// share of active developers meeting it, with the count. The metrics package's SQL twin of
// parallelCriterion computes the medians, from each developer's days counted by daily max in
// the weekly rollup's histogram (developerCriterion): a few probes per developer, however busy
// their year, and exact values from 5 up where a median needs them.
import type { Tx } from '@parallax/db';
import { MEDIAN_BUCKETS, type MedianBucket, PARALLEL_THRESHOLD } from '@parallax/metrics';
import { developerCriterion } from './developer-days.ts';
import { labelPeople, orderTies } from './people.ts';
import { type ParallelScope, personLevel } from './scope.ts';

export async function getParallelDistribution(tx: Tx, scope: ParallelScope) {
  const criterion = developerCriterion(scope);
  const rows = await tx.$queryRawUnsafe<
    { developerId: string; activeDays: number; medianDailyMax: number; meets: boolean; bucket: MedianBucket }[]
  >(
    `WITH RECURSIVE ${criterion.text}
     SELECT c.developer_id AS "developerId", c.active_days AS "activeDays", c.median_daily_max AS "medianDailyMax", c.meets, c.bucket
     FROM criterion c
     ORDER BY c.median_daily_max DESC, c.active_days DESC`,
    ...criterion.values,
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
