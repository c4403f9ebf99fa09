// One developer's day in the org's zone (METRICS.md "Active session", "Concurrency of a
// developer at time t"): each session's active interval [startedAt, endedAt ?? now) clipped
// to the day, and the concurrency step function over it; the day's figures from the metrics
// package's dailyConcurrencyQuery. Another person's day needs 'individuals:read'.
import type { Tx } from '@parallax/db';
import { dailyConcurrencyQuery } from '@parallax/metrics';
import { forbidden, notFound } from '@parallax/tenancy';
import { namesOf, type Person } from './people.ts';
import type { ParallelScope } from './scope.ts';

export interface DayInput {
  developerId: string;
  /** Org-local day, YYYY-MM-DD. */
  day: string;
}

export async function getDeveloperDay(tx: Tx, scope: ParallelScope, input: DayInput) {
  if (input.developerId !== scope.viewerId && !scope.seesIndividuals) {
    throw forbidden("Your role sees its own day only; a lead or admin can open another developer's day.");
  }
  if (!(await inScope(tx, scope, input.developerId))) throw notFound('Developer');
  const now = scope.now;
  // $1 org, $2 developer, $3 day, $4 zone, $5 now.
  const values = [scope.orgId, input.developerId, input.day, scope.timeZone, now];
  const bounds = `WITH b AS (
      SELECT ($3::date::timestamp AT TIME ZONE $4::text) AS day_start,
             -- A day in the future is empty rather than inverted: it ends where it starts.
             greatest(($3::date::timestamp AT TIME ZONE $4::text), least((($3::date + 1)::timestamp AT TIME ZONE $4::text), $5::timestamptz)) AS day_end
    ), s AS (
      SELECT s.id, s.status::text AS status, s."taskId", s."repositoryId",
             greatest((s."startedAt" AT TIME ZONE 'UTC'), b.day_start) AS lo,
             least(coalesce((s."endedAt" AT TIME ZONE 'UTC'), $5::timestamptz), b.day_end) AS hi,
             s."endedAt" IS NULL AS running
      FROM "AgentSession" s, b
      WHERE s."orgId" = $1 AND s."developerId" = $2 AND s."startedAt" IS NOT NULL
        AND (s."startedAt" AT TIME ZONE 'UTC') < b.day_end
        AND coalesce((s."endedAt" AT TIME ZONE 'UTC'), $5::timestamptz) > b.day_start
    )`;
  const [day] = await tx.$queryRawUnsafe<{ dayStart: number; dayEnd: number }[]>(
    `${bounds} SELECT (extract(epoch FROM day_start) * 1000)::float8 AS "dayStart", (extract(epoch FROM day_end) * 1000)::float8 AS "dayEnd" FROM b`,
    ...values,
  );
  const sessions = await tx.$queryRawUnsafe<
    { id: string; status: string; title: string; repository: string; startMs: number; endMs: number; running: boolean }[]
  >(
    `${bounds}
     SELECT s.id, s.status, t.title, r.name AS repository, s.running,
            (extract(epoch FROM s.lo) * 1000)::float8 AS "startMs", (extract(epoch FROM s.hi) * 1000)::float8 AS "endMs"
     FROM s JOIN "Task" t ON t.id = s."taskId" JOIN "Repository" r ON r.id = s."repositoryId"
     WHERE s.hi > s.lo
     ORDER BY s.lo, s.hi, s.id`,
    ...values,
  );
  // The step function: at each instant where sessions start or end, the count from then on;
  // ends before starts at one instant, as in the definition's half-open intervals.
  const steps = await tx.$queryRawUnsafe<{ t: number; n: number }[]>(
    `${bounds}, e AS (
       SELECT lo AS t, 1 AS delta FROM s WHERE hi > lo UNION ALL SELECT hi AS t, -1 AS delta FROM s WHERE hi > lo
     )
     SELECT (extract(epoch FROM t) * 1000)::float8 AS t, (sum(sum(delta)) OVER (ORDER BY t))::int AS n
     FROM e GROUP BY t ORDER BY t`,
    ...values,
  );
  const figures = dailyConcurrencyQuery(
    `(SELECT s."developerId" AS developer_id, (s."startedAt" AT TIME ZONE 'UTC') AS started_at, (s."endedAt" AT TIME ZONE 'UTC') AS ended_at
      FROM "AgentSession" s WHERE s."orgId" = $6 AND s."developerId" = ANY($5::text[])
        AND s."startedAt" < ((($2::date + 1)::timestamp AT TIME ZONE $3::text) AT TIME ZONE 'UTC')
        AND (s."endedAt" IS NULL OR s."endedAt" > (($1::date::timestamp AT TIME ZONE $3::text) AT TIME ZONE 'UTC')))`,
    { from: input.day, to: input.day, timeZone: scope.timeZone, now, developers: [input.developerId] },
  );
  const [summary] = await tx.$queryRawUnsafe<{ max_concurrency: number; mean_concurrency: number | null; active_ms: number }[]>(
    figures.text,
    ...figures.values,
    scope.orgId,
  );
  const names = await namesOf(tx, scope.orgId, [input.developerId]);
  const person: Person = {
    key: input.developerId,
    developerId: input.developerId,
    name: input.developerId === scope.viewerId ? 'You' : (names.get(input.developerId) ?? 'Former member'),
    isViewer: input.developerId === scope.viewerId,
  };
  const dayStart = day?.dayStart ?? 0;
  return {
    day: input.day,
    timeZone: scope.timeZone,
    dayStart,
    dayEnd: day?.dayEnd ?? 0,
    person,
    maxConcurrency: summary?.max_concurrency ?? 0,
    meanConcurrency: summary?.mean_concurrency ?? null,
    activeMs: summary?.active_ms ?? 0,
    sessions,
    // The line starts at midnight: at 0, or already up when a session ran across it.
    steps: steps[0]?.t === dayStart ? steps : [{ t: dayStart, n: 0 }, ...steps],
  };
}

/** A team's member, or for the org a member or anyone who ran sessions in it (a former member). */
async function inScope(tx: Tx, scope: ParallelScope, developerId: string): Promise<boolean> {
  if (scope.restrictTo) return scope.restrictTo.includes(developerId);
  if (await tx.membership.findFirst({ where: { orgId: scope.orgId, userId: developerId }, select: { id: true } })) return true;
  return Boolean(await tx.agentSession.findFirst({ where: { orgId: scope.orgId, developerId }, select: { id: true } }));
}
