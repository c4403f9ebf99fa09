// Parallel sessions now (METRICS.md "Concurrency of a developer at time t"): each developer's
// active sessions (started, not ended) against the developer cap, and the org's queue.
import type { Tx } from '@parallax/db';
import { labelPeople } from './people.ts';
import { type ParallelScope, personLevel } from './scope.ts';

/** Statuses of a session whose agent has been admitted and not yet reached a terminal state. */
const LIVE = ['PROVISIONING', 'RUNNING', 'CHECKING', 'OPENING_PR'];

export async function getLiveConcurrency(tx: Tx, scope: ParallelScope) {
  const org = await tx.organization.findUniqueOrThrow({
    where: { id: scope.orgId },
    select: { developerConcurrencyCap: true, orgConcurrencyCap: true },
  });
  const running = await tx.$queryRawUnsafe<{ developerId: string; running: number }[]>(
    `SELECT s."developerId", count(*)::int AS running
     FROM "AgentSession" s
     WHERE s."orgId" = $1 AND s.status::text = ANY($2::text[]) AND s."startedAt" IS NOT NULL AND s."endedAt" IS NULL
       AND ($3::text[] IS NULL OR s."developerId" = ANY($3::text[]))
     GROUP BY s."developerId"
     ORDER BY running DESC, s."developerId" COLLATE "C"`,
    scope.orgId,
    LIVE,
    scope.restrictTo,
  );
  const [queue] = await tx.$queryRawUnsafe<{ queued: number }[]>(
    // endedAt for the (orgId, endedAt) index: under RLS the status enum is compared on every row read.
    `SELECT count(*)::int AS queued FROM "AgentSession" WHERE "orgId" = $1 AND "endedAt" IS NULL AND status = 'QUEUED'`,
    scope.orgId,
  );
  const people = await labelPeople(tx, scope, running, { level: personLevel(scope, running.length) });
  return {
    developerCap: org.developerConcurrencyCap,
    orgCap: org.orgConcurrencyCap,
    queueLength: queue?.queued ?? 0,
    /** Over everyone in scope, whatever the rows below may show. */
    runningTotal: running.reduce((n, r) => n + r.running, 0),
    developersRunning: running.length,
    level: people.level,
    developers: people.rows,
  };
}
