// rollup.ts and dailyConcurrency in PostgreSQL, over the product's own tables: the statements
// that rewrite an org's rollup rows (EvidenceDay, ChannelDay, ConcurrencyDay) from the raw rows,
// for one developer's days (a session changed) or for everything (a rebuild). Kept equal to the
// pure functions by rollup-sql.int.test.ts. Timestamps in the tables are UTC without a zone.
import { dailyConcurrencyQuery } from './daily-concurrency-sql.ts';

export interface RollupTarget {
  orgId: string;
  timeZone: string;
  now: Date;
  /** One developer's rows, or every developer's (null). */
  developerId: string | null;
  /** The org-local days to rewrite (YYYY-MM-DD), or every day (null). */
  days: readonly string[] | null;
}

type Statement = { text: string; values: unknown[] };

/** The day before the first of some org-local days (YYYY-MM-DD): every instant of them is after its start, in any zone. */
function dayBeforeFirst(days: readonly string[] | null): string | null {
  if (!days || days.length === 0) return null;
  const first = [...days].sort()[0]!;
  return new Date(Date.parse(`${first}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}

const params = (t: RollupTarget) => [t.orgId, t.developerId, t.timeZone, t.now, t.days ? [...t.days] : null, dayBeforeFirst(t.days)];

const P = `p AS (SELECT $1::text AS org, $2::text AS dev, $3::text AS tz, $4::timestamptz AS now, $5::date[] AS days)`;

/** Deletes the target's rows of one rollup table. */
export function deleteRollupRows(table: 'EvidenceDay' | 'ChannelDay' | 'ConcurrencyDay', t: RollupTarget): Statement {
  return {
    text: `DELETE FROM "${table}" WHERE "orgId" = $1 AND ($2::text IS NULL OR "developerId" = $2) AND ($3::date[] IS NULL OR day = ANY($3::date[]))`,
    values: [t.orgId, t.developerId, t.days ? [...t.days] : null],
  };
}

// The per-session verdicts, shared with the rows behind the tiles (evidence-rows-sql.ts): one
// definition in SQL of what a tile counts, over the columns of `sessionFacts` (and p.now).

/**
 * One row per session of the org with what the rollups and the rows judge it by; `join` filters
 * the sessions (it may use `s` and the CTE `p`). Timestamps come out as timestamptz; the
 * *_key columns are the same instants as stored, for an ORDER BY or a bound the planner can
 * read from an index (ended_key on AgentSession, received_key on Invocation, merged_key on
 * PullRequest), since it cannot see through AT TIME ZONE.
 */
export const sessionFacts = (
  join: string,
) => `  SELECT s.id AS session_id, s."developerId" AS developer_id, s."repositoryId" AS repository_id,
         s.status::text AS status, s."cancelledWhileQueued" AS cwq, s."withdrawnByRequester" AS withdrawn,
         s."isUnattended" AS dispatched_unattended,
         t."taskType"::text AS task_type,
         i."receivedAt" AT TIME ZONE 'UTC' AS received_at,
         s."endedAt" AT TIME ZONE 'UTC' AS ended_at,
         s."slaMinutes" AS sla_minutes, s."agentCostUsd" AS cost_usd,
         pr."openedAt" AT TIME ZONE 'UTC' AS pr_opened_at,
         pr."mergedAt" AT TIME ZONE 'UTC' AS pr_merged_at,
         pr."firstReviewAt" AT TIME ZONE 'UTC' AS pr_first_review_at,
         iv.n AS interventions, iv.before_pr,
         s."endedAt" AS ended_key, i."receivedAt" AS received_key, pr."mergedAt" AS merged_key
  FROM "AgentSession" s
  JOIN p ON ${join}
  JOIN "Task" t ON t.id = s."taskId"
  JOIN "Invocation" i ON i.id = s."invocationId"
  LEFT JOIN "PullRequest" pr ON pr."sessionId" = s.id
  LEFT JOIN LATERAL (
    SELECT count(*)::int AS n, count(*) FILTER (WHERE x.at < pr."openedAt")::int AS before_pr
    FROM "Intervention" x WHERE x."sessionId" = s.id
  ) iv ON true`;

/** METRICS.md "Finished session" (isFinished). */
export const IS_FINISHED = `ended_at IS NOT NULL AND status IN ('SUCCEEDED', 'FAILED', 'CANCELLED', 'TIMED_OUT') AND NOT cwq`;

/** METRICS.md "Unattended session" (isUnattendedSession). */
export const IS_UNATTENDED = '(dispatched_unattended OR (pr_opened_at IS NOT NULL AND before_pr = 0))';

/** Owed a PR under an SLA (slaVerdict is not 'excluded'). */
export const OWES_PR = `sla_minutes IS NOT NULL AND task_type <> 'INVESTIGATION' AND NOT withdrawn`;

/** slaVerdict of a session owed a PR: within, breached, missed or open at p.now. */
export const SLA_VERDICT = `CASE WHEN pr_opened_at IS NOT NULL THEN
                CASE WHEN pr_opened_at <= received_at + make_interval(mins => sla_minutes) THEN 'within' ELSE 'breached' END
              WHEN p.now >= received_at + make_interval(mins => sla_minutes) THEN 'missed'
              ELSE 'open' END`;

/**
 * The sessions that can count on the target's days, as a condition on `s` (AgentSession) over
 * the parameters $1 (org) and $6 (the day before the first of the days; null: all days): every
 * one of a rebuild's; for some days, those still running or ended since $6 (a session is
 * received before it ends: an earlier one can only count there by its PR, opened or merged
 * since). A day's margin covers any zone's offset. A superset: the days are picked exactly
 * afterwards. So a developer's refresh reads their recent sessions, not their whole history;
 * $6 is a parameter, not computed in SQL, so that the planner sees how few rows it selects.
 */
const TOUCHING_DAYS = `($6::timestamp IS NULL
    OR s."endedAt" IS NULL OR s."endedAt" >= $6::timestamp
    OR s.id IN (SELECT pr."sessionId" FROM "PullRequest" pr
                WHERE pr."orgId" = $1 AND (pr."openedAt" >= $6::timestamp OR pr."mergedAt" >= $6::timestamp)))`;

/** Inserts the target's EvidenceDay rows (evidenceDays in rollup.ts). */
export function insertEvidenceDays(t: RollupTarget): Statement {
  // The sessions are chosen on the parameters themselves, not p's columns, so that one
  // developer's refresh finds theirs by index instead of scanning the org's.
  const zeros = (names: string[]) => names.map((n) => `0 AS ${n}`).join(', ');
  const SESSION = ['finished', 'succeeded', 'unassisted', 'intervened', 'interventions', 'unattended', 'complex_finished', 'cost_reported'];
  const SLA = ['sla_within', 'sla_breached', 'sla_missed', 'sla_open'];
  const PRS = ['prs_opened', 'prs_merged', 'merged_steered', 'merged_reviewed', 'merged_unreviewed'];
  const text = `
WITH ${P}, facts AS (
${sessionFacts(`s."orgId" = $1 AND ($2::text IS NULL OR s."developerId" = $2::text) AND ${TOUCHING_DAYS}`)}
), verdicts AS (
  SELECT f.*, received_at + make_interval(mins => sla_minutes) AS deadline,
         ${SLA_VERDICT} AS verdict
  FROM facts f, p
  WHERE ${OWES_PR}
), contrib AS (
  SELECT developer_id, repository_id, (ended_at AT TIME ZONE p.tz)::date AS day,
         1 AS finished, (status = 'SUCCEEDED')::int AS succeeded,
         (status = 'SUCCEEDED' AND interventions = 0)::int AS unassisted,
         (interventions > 0)::int AS intervened, interventions,
         ${IS_UNATTENDED}::int AS unattended,
         (task_type = 'COMPLEX')::int AS complex_finished,
         coalesce(cost_usd, 0)::float8 AS cost_usd, (cost_usd IS NOT NULL)::int AS cost_reported,
         ${zeros(SLA)}, NULL::timestamptz AS sla_open_until, 0::numeric AS time_to_pr_ms,
         ${zeros(PRS)}, 0::numeric AS review_latency_ms
  FROM facts, p
  WHERE ${IS_FINISHED}
  UNION ALL
  SELECT developer_id, repository_id, (received_at AT TIME ZONE p.tz)::date,
         ${zeros(SESSION.slice(0, 7))}, 0::float8, 0,
         (verdict = 'within')::int, (verdict = 'breached')::int, (verdict = 'missed')::int, (verdict = 'open')::int,
         CASE WHEN verdict = 'open' THEN deadline END,
         CASE WHEN verdict IN ('within', 'breached') THEN (extract(epoch FROM pr_opened_at) - extract(epoch FROM received_at)) * 1000 ELSE 0 END,
         ${zeros(PRS)}, 0
  FROM verdicts, p
  UNION ALL
  SELECT developer_id, repository_id, (pr_opened_at AT TIME ZONE p.tz)::date,
         ${zeros(SESSION.slice(0, 7))}, 0::float8, 0, ${zeros(SLA)}, NULL, 0,
         1, 0, 0, 0, 0, 0
  FROM facts, p WHERE pr_opened_at IS NOT NULL
  UNION ALL
  SELECT developer_id, repository_id, (pr_merged_at AT TIME ZONE p.tz)::date,
         ${zeros(SESSION.slice(0, 7))}, 0::float8, 0, ${zeros(SLA)}, NULL, 0,
         0, 1, (interventions > 0)::int, (interventions = 0 AND reviewed)::int, (interventions = 0 AND NOT reviewed)::int,
         CASE WHEN interventions = 0 AND reviewed THEN (extract(epoch FROM pr_first_review_at) - extract(epoch FROM pr_opened_at)) * 1000 ELSE 0 END
  FROM (SELECT f.*, coalesce(pr_first_review_at >= pr_opened_at AND pr_first_review_at <= pr_merged_at, false) AS reviewed FROM facts f) m, p
  WHERE pr_opened_at IS NOT NULL AND pr_merged_at IS NOT NULL
)
INSERT INTO "EvidenceDay" ("orgId", "developerId", "repositoryId", day,
  finished, succeeded, unassisted, intervened, interventions, unattended, "complexFinished", "costUsd", "costReported",
  "slaWithin", "slaBreached", "slaMissed", "slaOpen", "slaOpenUntil", "timeToPrMsSum",
  "prsOpened", "prsMerged", "mergedSteered", "mergedReviewed", "mergedUnreviewed", "reviewLatencyMsSum")
SELECT p.org, developer_id, repository_id, day,
  sum(finished), sum(succeeded), sum(unassisted), sum(intervened), sum(interventions), sum(unattended), sum(complex_finished),
  sum(cost_usd), sum(cost_reported),
  sum(sla_within), sum(sla_breached), sum(sla_missed), sum(sla_open), max(sla_open_until) AT TIME ZONE 'UTC', sum(time_to_pr_ms),
  sum(prs_opened), sum(prs_merged), sum(merged_steered), sum(merged_reviewed), sum(merged_unreviewed), sum(review_latency_ms)
FROM contrib, p
WHERE p.days IS NULL OR day = ANY(p.days)
GROUP BY p.org, developer_id, repository_id, day`;
  return { text, values: params(t) };
}

/** Inserts the target's ChannelDay rows (channelDays in rollup.ts). */
export function insertChannelDays(t: RollupTarget): Statement {
  const text = `
WITH ${P}, mine AS (
  SELECT DISTINCT s."invocationId" AS id FROM "AgentSession" s, p
  WHERE s."orgId" = $1 AND ($2::text IS NULL OR s."developerId" = $2::text) AND ${TOUCHING_DAYS}
), firsts AS (
  -- The invocation's first session decides whose it is, over all its sessions, not only the developer's.
  SELECT DISTINCT ON (i.id) i.id, i.channel, s."developerId" AS developer_id, s."repositoryId" AS repository_id,
         ((i."receivedAt" AT TIME ZONE 'UTC') AT TIME ZONE p.tz)::date AS day
  FROM mine JOIN "Invocation" i ON i.id = mine.id
  JOIN "AgentSession" s ON s."invocationId" = i.id, p
  ORDER BY i.id, s.id COLLATE "C"
)
INSERT INTO "ChannelDay" ("orgId", "developerId", "repositoryId", day, channel, invocations)
SELECT p.org, developer_id, repository_id, day, channel, count(*)
FROM firsts, p
WHERE (p.dev IS NULL OR developer_id = p.dev) AND (p.days IS NULL OR day = ANY(p.days))
GROUP BY p.org, developer_id, repository_id, day, channel`;
  return { text, values: params(t) };
}

/**
 * Inserts the target's ConcurrencyDay rows over the days from..to (dailyConcurrency): days with
 * activity only, running sessions up to `now`. `from`/`to` bound the days computed; with
 * `t.days` set, only those of them are written.
 */
export function insertConcurrencyDays(t: RollupTarget, from: string, to: string): Statement {
  // Sessions that can touch the days: a day's margin either side covers any zone's offset.
  const sessions = `(SELECT "developerId" AS developer_id, "startedAt" AT TIME ZONE 'UTC' AS started_at, "endedAt" AT TIME ZONE 'UTC' AS ended_at
    FROM "AgentSession"
    WHERE "orgId" = $6 AND ($7::text IS NULL OR "developerId" = $7) AND "startedAt" IS NOT NULL
      AND "startedAt" < ($2::date + 2)::timestamp AND ("endedAt" IS NULL OR "endedAt" > ($1::date - 1)::timestamp))`;
  const daily = dailyConcurrencyQuery(sessions, { from, to, timeZone: t.timeZone, now: t.now });
  const text = `
INSERT INTO "ConcurrencyDay" ("orgId", "developerId", day, "maxConcurrency", "activeMs", "areaMs")
SELECT $6, d.developer_id, d.day::date, d.max_concurrency, d.active_ms, d.area_ms
FROM (${daily.text}) d
WHERE d.max_concurrency > 0 AND ($8::date[] IS NULL OR d.day::date = ANY($8::date[]))`;
  return { text, values: [...daily.values, t.orgId, t.developerId, t.days ? [...t.days] : null] };
}
