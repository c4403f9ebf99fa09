// The heatmap of daily max concurrency per developer per day (METRICS.md "Daily max
// concurrency", "Time-weighted mean concurrency" = areaMs / activeMs), with the scope's
// developer-days and parallel developer-days as aggregates every viewer may see.
import type { Tx } from '@parallax/db';
import { daysFrom } from '@parallax/metrics';
import { developerDays, peopleInScope } from './developer-days.ts';
import { labelPeople } from './people.ts';
import type { ParallelScope } from './scope.ts';

export interface HeatmapCell {
  day: string;
  max: number;
  /** Time-weighted mean concurrency; null without activity. */
  mean: number | null;
  activeMs: number;
}

export async function getConcurrencyHeatmap(tx: Tx, scope: ParallelScope) {
  const days = developerDays(scope);
  const n = days.values.length;
  const rows = await tx.$queryRawUnsafe<{ developerId: string; cells: HeatmapCell[]; periodMax: number; activeDays: number }[]>(
    `WITH d AS (SELECT * FROM ${days.text} r)
     SELECT dev.id AS "developerId",
            coalesce(json_agg(json_build_object(
              'day', to_char(d.day, 'YYYY-MM-DD'), 'max', d.max_concurrency,
              'mean', (d.area_ms / nullif(d.active_ms, 0))::float8, 'activeMs', d.active_ms
            ) ORDER BY d.day) FILTER (WHERE d.day IS NOT NULL), '[]') AS cells,
            coalesce(max(d.max_concurrency), 0)::int AS "periodMax",
            count(d.day)::int AS "activeDays"
     FROM ${peopleInScope(`$${n + 1}`, `$${n + 2}`)} AS dev
     LEFT JOIN d ON d.developer_id = dev.id
     GROUP BY dev.id
     ORDER BY "periodMax" DESC, "activeDays" DESC, dev.id COLLATE "C"`,
    ...days.values,
    scope.orgId,
    scope.restrictTo,
  );
  const [totals] = await tx.$queryRawUnsafe<{ developerDays: number; parallelDays: number; activeDevelopers: number }[]>(
    `SELECT count(*)::int AS "developerDays", count(*) FILTER (WHERE r.max_concurrency >= 3)::int AS "parallelDays",
            count(DISTINCT r.developer_id)::int AS "activeDevelopers"
     FROM ${days.text} r`,
    ...days.values,
  );
  const people = await labelPeople(tx, scope, rows);
  return {
    timeZone: scope.timeZone,
    days: daysFrom(scope.from, scope.to),
    developersInScope: scope.groupSize,
    totals: totals ?? { developerDays: 0, parallelDays: 0, activeDevelopers: 0 },
    level: people.level,
    rows: people.rows,
  };
}
