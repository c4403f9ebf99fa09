// The rows behind the Evidence tiles in PostgreSQL: which sessions a criterion counts for a scope
// and period, a page at a time with the total from the same predicate. The verdicts are
// rollup-sql.ts' own fragments (IS_FINISHED, IS_UNATTENDED, OWES_PR, SLA_VERDICT), so a row is
// listed exactly when the rollups count it: sessions on the day they ended, SLA outcomes on the
// day the invocation arrived, PRs on the day they merged, invocations once under their first
// session. Held equal to the pure functions by packages/evidence/src/rows-sql.int.test.ts.
import { IS_FINISHED, IS_UNATTENDED, OWES_PR, SLA_VERDICT, sessionFacts } from './rollup-sql.ts';

export const ROW_CRITERIA = ['completion', 'unattended', 'sla', 'sla-breaches', 'pull-requests', 'channels'] as const;
export type RowCriterion = (typeof ROW_CRITERIA)[number];

export interface RowsScope {
  orgId: string;
  /** The period as instants, [start, end): the org-local days' bounds. */
  start: Date;
  end: Date;
  /** When SLA windows are judged (still-open ones are not listed). */
  now: Date;
  /** Only these developers' rows (a team), or everyone's. */
  developerIds: readonly string[] | null;
  repositoryId: string | null;
  /** Whose rows: everyone's in scope, only one person's, or everyone's but one person's. */
  person: { only: string } | { except: string } | null;
}

type Statement = { text: string; values: unknown[] };

const UTC = (n: number) => `($${n}::timestamptz AT TIME ZONE 'UTC')`;

// $1 org, $2 now, $3 start, $4 end, $5 developers, $6 repository, $7 only, $8 except.
const params = (s: RowsScope) => [
  s.orgId,
  s.now,
  s.start,
  s.end,
  s.developerIds ? [...s.developerIds] : null,
  s.repositoryId,
  s.person && 'only' in s.person ? s.person.only : null,
  s.person && 'except' in s.person ? s.person.except : null,
];

const WHO = (alias: string, developer: string) =>
  `($5::text[] IS NULL OR ${alias}."${developer}" = ANY($5::text[])) AND ($6::text IS NULL OR ${alias}."repositoryId" = $6)
     AND ($7::text IS NULL OR ${alias}."${developer}" = $7) AND ($8::text IS NULL OR ${alias}."${developer}" <> $8)`;

/**
 * The matched sessions as (session_id, sort_key): sort_key is an instant as stored in an
 * indexed column (AgentSession.endedAt, Invocation.receivedAt, PullRequest.mergedAt), bounded
 * by the period on that same column, so that the newest-first page is read backwards from the
 * index and stops after its rows instead of judging a year of sessions and sorting them.
 */
function matched(criterion: RowCriterion): string {
  if (criterion === 'channels') {
    // The invocation's first session decides whose it is, over all its sessions (insertChannelDays).
    return `
SELECT f.session_id, i."receivedAt" AS sort_key
FROM "Invocation" i
CROSS JOIN LATERAL (
  SELECT s.id AS session_id, s."developerId", s."repositoryId" FROM "AgentSession" s
  WHERE s."invocationId" = i.id ORDER BY s.id COLLATE "C" LIMIT 1
) f
WHERE i."orgId" = $1 AND i."receivedAt" >= ${UTC(3)} AND i."receivedAt" < ${UTC(4)} AND ${WHO('f', 'developerId')}`;
  }
  const [key, verdict] =
    criterion === 'sla'
      ? ['received_key', `${OWES_PR} AND ${SLA_VERDICT} <> 'open'`]
      : criterion === 'sla-breaches'
        ? ['received_key', `${OWES_PR} AND ${SLA_VERDICT} IN ('breached', 'missed')`]
        : criterion === 'pull-requests'
          ? ['merged_key', 'pr_opened_at IS NOT NULL AND pr_merged_at IS NOT NULL']
          : criterion === 'unattended'
            ? ['ended_key', `${IS_FINISHED} AND ${IS_UNATTENDED}`]
            : ['ended_key', IS_FINISHED];
  return `
SELECT session_id, ${key} AS sort_key
FROM (
${sessionFacts(`s."orgId" = $1 AND ${WHO('s', 'developerId')}`)}
) facts, p
WHERE ${key} >= ${UTC(3)} AND ${key} < ${UTC(4)} AND ${verdict}`;
}

const P = 'p AS (SELECT $2::timestamptz AS now)';

/** One page of the rows' session ids (column session_id), newest first, ties by id in code unit order. */
export function evidenceRowsQuery(criterion: RowCriterion, scope: RowsScope, page: { offset: number; limit: number }): Statement {
  return {
    text: `WITH ${P}, m AS (${matched(criterion)})
SELECT session_id FROM m ORDER BY sort_key DESC, session_id COLLATE "C" LIMIT $9 OFFSET $10`,
    values: [...params(scope), page.limit, page.offset],
  };
}
