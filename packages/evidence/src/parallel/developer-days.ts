// The developer-days a page reads, as one SQL relation (developer_id, day, max_concurrency,
// active_ms, area_ms; days with activity only) with its parameters from $1: the ConcurrencyDay
// rollup for an org or a team. A developer's concurrency spans every repository (./scope.ts).
import { firstWholeWeek, lastWholeWeek, PARALLEL_THRESHOLD } from '@parallax/metrics';
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
 * Per developer with activity in the scope: developer_id, period_max, active_days and
 * parallel_days (daily max of 3 or more), as one SQL relation with its parameters from $1.
 * The period's whole weeks come from DeveloperWeek (a row per developer-week, its days
 * counted by daily max) and only the days at its ends from ConcurrencyDay.
 */
export function developerPeriods(scope: Pick<ParallelScope, 'orgId' | 'from' | 'to' | 'restrictTo'>): Relation {
  const first = firstWholeWeek('$3');
  const last = lastWholeWeek('$4');
  const mine = `"orgId" = $1 AND ($2::text[] IS NULL OR "developerId" = ANY($2::text[]))`;
  return {
    text: `(SELECT p.developer_id, max(p.period_max)::int AS period_max, sum(p.active_days)::int AS active_days,
        sum(p.parallel_days)::int AS parallel_days
      FROM (
        SELECT "developerId" AS developer_id, "maxConcurrency" AS period_max,
               "daysAtMax1" + "daysAtMax2" + "daysAtMax3" + "daysAtMax4" + "daysAtMax5Plus" AS active_days,
               "daysAtMax3" + "daysAtMax4" + "daysAtMax5Plus" AS parallel_days
        FROM "DeveloperWeek" WHERE ${mine} AND week BETWEEN ${first} AND ${last}
        UNION ALL
        SELECT "developerId", "maxConcurrency", 1, ("maxConcurrency" >= ${PARALLEL_THRESHOLD})::int
        FROM "ConcurrencyDay"
        WHERE ${mine} AND day BETWEEN $3::date AND $4::date AND "maxConcurrency" > 0 AND (day < ${first} OR day > ${last} + 6)
      ) p
      GROUP BY p.developer_id
      HAVING sum(p.active_days) > 0)`,
    values: [scope.orgId, scope.restrictTo, scope.from, scope.to],
  };
}
