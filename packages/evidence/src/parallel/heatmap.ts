// The heatmap of daily max concurrency per developer per day (METRICS.md "Daily max
// concurrency", "Time-weighted mean concurrency" = areaMs / activeMs), with the scope's
// developer-days and parallel developer-days as aggregates every viewer may see.
//
// Paged by developer: an org of hundreds is a cell per developer-day by definition (476 × 365
// is 8 MB of cells and 170k buttons), so one statement ranks every developer in the scope by
// their figures (from the weekly rollup where whole weeks allow), and a second reads the cells
// of one page of them only.
import type { Tx } from '@parallax/db';
import { daysFrom } from '@parallax/metrics';
import { developerDays, developerPeriods, peopleInScope } from './developer-days.ts';
import { labelPeople, orderTies } from './people.ts';
import { personLevel, type ParallelScope } from './scope.ts';

export interface HeatmapCell {
  day: string;
  max: number;
  /** Time-weighted mean concurrency; null without activity. */
  mean: number | null;
  activeMs: number;
}

/** Developers per page unless asked otherwise, and the most one page may hold. */
export const HEATMAP_PAGE = 25;
export const HEATMAP_PAGE_MAX = 100;

export interface HeatmapPage {
  offset: number;
  limit: number;
}

export async function getConcurrencyHeatmap(tx: Tx, scope: ParallelScope, page: HeatmapPage = { offset: 0, limit: HEATMAP_PAGE }) {
  const asked = Math.max(0, Math.floor(page.offset));
  const limit = Math.min(Math.max(1, Math.floor(page.limit)), HEATMAP_PAGE_MAX);
  const periods = developerPeriods(scope);
  const n = periods.values.length;
  // Every developer in the scope (members without a session included) ranked by period max, then
  // active days: the order a lead reads, and, for anonymous rows, one that says nothing of who.
  const ranked = await tx.$queryRawUnsafe<{ developerId: string; periodMax: number; activeDays: number; parallelDays: number }[]>(
    `WITH RECURSIVE ${periods.text}, d AS (SELECT * FROM periods)
     SELECT dev.id AS "developerId", coalesce(d.period_max, 0) AS "periodMax", coalesce(d.active_days, 0) AS "activeDays",
            coalesce(d.parallel_days, 0) AS "parallelDays"
     FROM ${peopleInScope(`$${n + 1}`, `$${n + 2}`)} AS dev
     LEFT JOIN d ON d.developer_id = dev.id
     ORDER BY "periodMax" DESC, "activeDays" DESC`,
    ...periods.values,
    scope.orgId,
    scope.restrictTo,
  );
  // The totals are the scope's, whoever may see which rows: every developer-day is in `ranked`.
  const totals = {
    developerDays: ranked.reduce((sum, r) => sum + r.activeDays, 0),
    parallelDays: ranked.reduce((sum, r) => sum + r.parallelDays, 0),
    activeDevelopers: ranked.filter((r) => r.activeDays > 0).length,
  };
  // The rows that show anything are the active developers' (the rest are members with empty rows).
  const level = personLevel(scope, totals.activeDevelopers);
  const visible = orderTies(level === 'none' ? ranked.filter((r) => r.developerId === scope.viewerId) : ranked, level, scope.orgId, tie);
  // A page past the end (the scope shrank under it) is the last page, so there is always a way back.
  const offset = visible.length === 0 ? 0 : Math.min(asked, Math.floor((visible.length - 1) / limit) * limit);
  const shown = visible.slice(offset, offset + limit);
  const cells = await cellsOf(
    tx,
    scope,
    shown.filter((r) => r.activeDays > 0).map((r) => r.developerId),
  );
  const people = await labelPeople(
    tx,
    scope,
    shown.map(({ parallelDays: _, ...r }) => ({ ...r, cells: cells.get(r.developerId) ?? [] })),
    { level, firstIndex: offset },
  );
  return {
    timeZone: scope.timeZone,
    days: daysFrom(scope.from, scope.to),
    developersInScope: scope.groupSize,
    totals,
    level: people.level,
    page: { offset, limit, total: visible.length },
    rows: people.rows,
  };
}

const tie = (a: { periodMax: number; activeDays: number }, b: { periodMax: number; activeDays: number }) =>
  a.periodMax === b.periodMax && a.activeDays === b.activeDays;

/** The cells of these developers only: the same relation, restricted to them. */
async function cellsOf(tx: Tx, scope: ParallelScope, developerIds: string[]): Promise<Map<string, HeatmapCell[]>> {
  if (developerIds.length === 0) return new Map();
  const days = developerDays({ ...scope, restrictTo: developerIds });
  const rows = await tx.$queryRawUnsafe<{ developerId: string; cells: HeatmapCell[] }[]>(
    `SELECT d.developer_id AS "developerId",
            json_agg(json_build_object(
              'day', to_char(d.day, 'YYYY-MM-DD'), 'max', d.max_concurrency,
              'mean', (d.area_ms / nullif(d.active_ms, 0))::float8, 'activeMs', d.active_ms
            ) ORDER BY d.day) AS cells
     FROM ${days.text} d
     GROUP BY d.developer_id`,
    ...days.values,
  );
  return new Map(rows.map((r) => [r.developerId, r.cells]));
}
