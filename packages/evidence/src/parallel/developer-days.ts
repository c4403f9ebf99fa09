// The developer-days a page reads, as one SQL relation (developer_id, day, max_concurrency,
// active_ms, area_ms; days with activity only) with its parameters from $1: the ConcurrencyDay
// rollup for an org or a team; for a repository, which the rollup does not split by, the
// metrics package's dailyConcurrencyQuery over that repository's raw sessions, in PostgreSQL
// all the same.
import { dailyConcurrencyQuery } from '@parallax/metrics';
import type { ParallelScope } from './scope.ts';

export interface Relation {
  text: string;
  values: unknown[];
}

export function developerDays(
  scope: Pick<ParallelScope, 'orgId' | 'timeZone' | 'from' | 'to' | 'repositoryId' | 'restrictTo' | 'now'>,
): Relation {
  if (!scope.repositoryId) {
    return {
      text: `(SELECT c."developerId" AS developer_id, c.day, c."maxConcurrency" AS max_concurrency, c."activeMs" AS active_ms, c."areaMs" AS area_ms
        FROM "ConcurrencyDay" c
        WHERE c."orgId" = $1 AND ($2::text[] IS NULL OR c."developerId" = ANY($2::text[])) AND c.day BETWEEN $3::date AND $4::date
          AND c."maxConcurrency" > 0)`,
      values: [scope.orgId, scope.restrictTo, scope.from, scope.to],
    };
  }
  // $1..$5 are dailyConcurrencyQuery's own (first day, last day, zone, now, developers); the
  // session filter reuses them to read only sessions that can touch the period.
  const sessions = `(SELECT s."developerId" AS developer_id, (s."startedAt" AT TIME ZONE 'UTC') AS started_at, (s."endedAt" AT TIME ZONE 'UTC') AS ended_at
    FROM "AgentSession" s
    WHERE s."orgId" = $6 AND s."repositoryId" = $7 AND ($8::text[] IS NULL OR s."developerId" = ANY($8::text[]))
      AND s."startedAt" < ((($2::date + 1)::timestamp AT TIME ZONE $3::text) AT TIME ZONE 'UTC')
      AND (s."endedAt" IS NULL OR s."endedAt" > (($1::date::timestamp AT TIME ZONE $3::text) AT TIME ZONE 'UTC')))`;
  const inner = dailyConcurrencyQuery(sessions, { from: scope.from, to: scope.to, timeZone: scope.timeZone, now: scope.now });
  return {
    text: `(SELECT q.developer_id, q.day::date AS day, q.max_concurrency, q.active_ms, q.area_ms
      FROM (${inner.text}) q WHERE q.max_concurrency > 0)`,
    values: [...inner.values, scope.orgId, scope.repositoryId, scope.restrictTo],
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
