// The rows behind the Evidence tiles in PostgreSQL: which sessions a criterion counts for a scope
// and period, a page at a time with the total from the same predicate. The verdicts are
// rollup-sql.ts' own fragments (IS_FINISHED, IS_UNATTENDED, OWES_PR, SLA_VERDICT), so a row is
// listed exactly when the rollups count it: sessions on the day they ended, SLA outcomes on the
// day the invocation arrived, PRs on the day they merged, invocations once under their first
// session. Held equal to the pure functions by packages/evidence/src/rows-sql.int.test.ts.
import { IS_FINISHED, IS_UNATTENDED, OWES_PR, SLA_VERDICT, sessionFacts } from './rollup-sql.ts';

export const ROW_CRITERIA = ['completion', 'unattended', 'sla', 'pull-requests', 'channels'] as const;
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

/** The matched sessions as (session_id, sort_at), from sessionFacts: the rollups' own columns and verdicts. */
function matched(criterion: RowCriterion): string {
  if (criterion === 'channels') {
    // The invocation's first session decides whose it is, over all its sessions (insertChannelDays).
    return `
SELECT f.session_id, f.received_at AS sort_at
FROM (
  SELECT DISTINCT ON (i.id) s.id AS session_id, s."developerId", s."repositoryId", i."receivedAt" AT TIME ZONE 'UTC' AS received_at
  FROM "Invocation" i JOIN "AgentSession" s ON s."invocationId" = i.id
  WHERE i."orgId" = $1 AND i."receivedAt" >= ${UTC(3)} AND i."receivedAt" < ${UTC(4)}
  ORDER BY i.id, s.id COLLATE "C"
) f
WHERE ${WHO('f', 'developerId')}`;
  }
  // The period's bound goes on an indexed column where there is one; the verdict on the facts.
  const window =
    criterion === 'sla'
      ? `s."invocationId" IN (SELECT id FROM "Invocation" WHERE "orgId" = $1 AND "receivedAt" >= ${UTC(3)} AND "receivedAt" < ${UTC(4)})`
      : criterion === 'pull-requests'
        ? `s.id IN (SELECT "sessionId" FROM "PullRequest" WHERE "orgId" = $1 AND "mergedAt" >= ${UTC(3)} AND "mergedAt" < ${UTC(4)})`
        : `s."endedAt" >= ${UTC(3)} AND s."endedAt" < ${UTC(4)}`;
  const [verdict, sortAt] =
    criterion === 'sla'
      ? [`${OWES_PR} AND ${SLA_VERDICT} <> 'open'`, 'received_at']
      : criterion === 'pull-requests'
        ? ['pr_opened_at IS NOT NULL AND pr_merged_at IS NOT NULL', 'pr_merged_at']
        : criterion === 'unattended'
          ? [`${IS_FINISHED} AND ${IS_UNATTENDED}`, 'ended_at']
          : [IS_FINISHED, 'ended_at'];
  return `
SELECT session_id, ${sortAt} AS sort_at
FROM (
${sessionFacts(`s."orgId" = $1 AND ${window}\n     AND ${WHO('s', 'developerId')}`)}
) facts, p
WHERE ${verdict}`;
}

const P = 'p AS (SELECT $2::timestamptz AS now)';

/** One page of the rows' session ids (column session_id), newest first, ties by id in code unit order. */
export function evidenceRowsQuery(criterion: RowCriterion, scope: RowsScope, page: { offset: number; limit: number }): Statement {
  return {
    text: `WITH ${P}, m AS (${matched(criterion)})
SELECT session_id FROM m ORDER BY sort_at DESC, session_id COLLATE "C" LIMIT $9 OFFSET $10`,
    values: [...params(scope), page.limit, page.offset],
  };
}
