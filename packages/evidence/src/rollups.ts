// Keeps the rollups (EvidenceDay, ChannelDay, ConcurrencyDay; the org's days EvidenceOrgDay and
// ChannelOrgDay summed from them over developers; the weeks EvidenceWeek, ChannelWeek and
// DeveloperWeek) equal to what @parallax/metrics' rollup SQL
// computes from the raw rows: a session's days and weeks are rewritten in the transaction that
// changes it, windows that close by the clock are rewritten when read, and a rebuild rewrites an
// org from scratch. Everything runs in PostgreSQL; no row is loaded into Node to be summed.
//
// Locks, always in this order so that no two transactions wait on each other in a circle: the
// developers' (sorted), then the org's rows. The org lock is what makes a sum of many
// developers' rows right when two of them end sessions at once: the second recomputes
// after the first has committed.
import type { Database, Tx } from '@parallax/db';
import {
  dayOf,
  daysFrom,
  deleteRollupRows,
  insertChannelDays,
  insertConcurrencyDays,
  insertEvidenceDays,
  type RollupTarget,
  rewriteDeveloperWeeks,
  rewriteOrgRollups,
  rewriteTeamRollups,
  weekOf,
} from '@parallax/metrics';

type Statement = { text: string; values: unknown[] };

/** Two sessions of one developer ending at once (or a rebuild beside them) would otherwise each delete and insert the same rows. */
const lockDeveloper = (tx: Tx, orgId: string, developerId: string) =>
  tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`rollup:${orgId}:${developerId}`}, 0))`;
const lockOrg = (tx: Tx, orgId: string) => tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`rollup-weeks:${orgId}`}, 0))`;
const run = (tx: Tx, s: Statement) => tx.$executeRawUnsafe(s.text, ...s.values);
const runAll = async (tx: Tx, statements: Statement[]) => {
  for (const s of statements) await run(tx, s);
};

/** The Mondays of the ISO weeks holding these days (YYYY-MM-DD). */
const weeksOfDays = (days: readonly string[]) => [...new Set(days.map(weekOf))].sort();

/** Rewrites one developer's daily rows of `days` and their DeveloperWeek rows; the caller rewrites the org's weeks after. */
async function rewriteDeveloper(tx: Tx, t: RollupTarget & { days: string[]; developerId: string }): Promise<void> {
  await lockDeveloper(tx, t.orgId, t.developerId);
  for (const table of ['EvidenceDay', 'ChannelDay', 'ConcurrencyDay'] as const) await run(tx, deleteRollupRows(table, t));
  await run(tx, insertEvidenceDays(t));
  await run(tx, insertChannelDays(t));
  await run(tx, insertConcurrencyDays(t, t.days[0]!, t.days[t.days.length - 1]!));
  await runAll(tx, rewriteDeveloperWeeks(t.orgId, t.developerId, weeksOfDays(t.days)));
}

/** The org's rows summed over developers (org days, then weeks) for `days` (null: all). */
async function rewriteOrgLocked(tx: Tx, orgId: string, days: readonly string[] | null): Promise<void> {
  await lockOrg(tx, orgId);
  // Every team's weeks are rewritten below: none stays stale.
  if (days === null) await tx.$executeRaw`DELETE FROM "StaleTeamWeeks" WHERE "orgId" = ${orgId}`;
  await runAll(tx, rewriteOrgRollups(orgId, days));
}

/**
 * Rewrites the TeamWeek rows of the teams whose members changed since (a trigger on TeamMember
 * marks them), so that a team's weeks are its current members'. Cheap when there is none.
 * Call it before reading TeamWeek, in the reading transaction.
 */
export async function refreshStaleTeamWeeks(tx: Tx, orgId: string): Promise<number> {
  const marked = await tx.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM "StaleTeamWeeks" WHERE "orgId" = ${orgId}`;
  if (marked[0]!.n === 0) return 0;
  await lockOrg(tx, orgId);
  // Taken under the lock: a reader that waited finds what the one before it left.
  const stale = await tx.$queryRaw<{ teamId: string }[]>`DELETE FROM "StaleTeamWeeks" WHERE "orgId" = ${orgId} RETURNING "teamId"`;
  if (stale.length === 0) return 0;
  await runAll(tx, rewriteTeamRollups(orgId, { teams: stale.map((t) => t.teamId).sort() }));
  return stale.length;
}

/**
 * Whether these teams' TeamWeek and TeamDay rows are their members' as read since the last
 * refresh: no member change has marked them in between. Read the members after refreshing, then
 * ask this; a team marked since is read from its members' own rows instead.
 */
export async function teamRollupsCurrent(tx: Tx, orgId: string, teamIds: readonly string[]): Promise<boolean> {
  if (teamIds.length === 0) return true;
  const marked = await tx.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM "StaleTeamWeeks" WHERE "orgId" = ${orgId} AND "teamId" = ANY(${[...teamIds]}::text[])`;
  return marked[0]!.n === 0;
}

/** Rewrites one developer's rollup rows for `days` (org-local), the org's rows of those days, and the weeks holding them. Serialised per developer. */
export async function refreshDeveloperDays(
  tx: Tx,
  target: { orgId: string; developerId: string; timeZone: string; days: readonly string[]; now?: Date },
): Promise<void> {
  if (target.days.length === 0) return;
  const days = [...new Set(target.days)].sort();
  await rewriteDeveloper(tx, { ...target, days, now: target.now ?? new Date() });
  await rewriteOrgLocked(tx, target.orgId, days);
}

/**
 * Rewrites every rollup row the session contributes to: the days it was active, the day its
 * invocation arrived, it ended, and its PR opened and merged. Call it in the transaction that
 * changed the session, so the evidence is current when that commits.
 */
export async function refreshSessionEvidence(tx: Tx, ref: { orgId: string; sessionId: string }, now = new Date()): Promise<void> {
  const s = await tx.agentSession.findUnique({
    where: { id: ref.sessionId },
    select: {
      developerId: true,
      startedAt: true,
      endedAt: true,
      invocation: { select: { receivedAt: true } },
      pullRequest: { select: { openedAt: true, mergedAt: true } },
      org: { select: { timeZone: true } },
    },
  });
  if (!s) return;
  const tz = s.org.timeZone;
  const days = [s.invocation.receivedAt, s.endedAt, s.pullRequest?.openedAt, s.pullRequest?.mergedAt]
    .filter((d): d is Date => !!d)
    .map((d) => dayOf(d, tz));
  if (s.startedAt) days.push(...daysFrom(dayOf(s.startedAt, tz), dayOf(s.endedAt ?? now, tz)));
  await refreshDeveloperDays(tx, { orgId: ref.orgId, developerId: s.developerId, timeZone: tz, days, now });
}

/**
 * Rewrites the rows the clock made stale, which no event of the fleet touches:
 * - SLA windows that have closed since their rows were written (a session that failed early has
 *   no timer left): rows whose window has closed (an index on orgId, slaOpenUntil);
 * - days begun under a session still running: a developer running since before today who has
 *   no concurrency row for today gets their days from that session's start rewritten.
 * Call it before reading the rollups, in the reading transaction; cheap when there is none.
 */
export async function refreshByClock(tx: Tx, orgId: string, now = new Date()): Promise<number> {
  // One round trip: on the embedded PGlite each statement costs a few ms whatever it reads.
  // Stored instants are UTC timestamps; days are the org's.
  const found = await tx.$queryRaw<{ kind: 'window' | 'running'; developerId: string; day: string; timeZone: string; today: string }[]>`
    WITH o AS (
      SELECT "timeZone" AS tz, ((${now}::timestamptz) AT TIME ZONE "timeZone")::date AS today FROM "Organization" WHERE id = ${orgId}
    ), closed AS (
      SELECT DISTINCT "developerId", day FROM "EvidenceDay"
      WHERE "orgId" = ${orgId} AND "slaOpenUntil" <= (${now}::timestamptz AT TIME ZONE 'UTC') LIMIT 500
    )
    SELECT 'window' AS kind, c."developerId", c.day::text AS day, o.tz AS "timeZone", o.today::text AS today FROM closed c, o
    UNION ALL
    SELECT 'running', s."developerId", min((s."startedAt" AT TIME ZONE 'UTC' AT TIME ZONE o.tz)::date)::text, o.tz, o.today::text
    FROM "AgentSession" s, o
    WHERE s."orgId" = ${orgId} AND s."endedAt" IS NULL AND s."startedAt" IS NOT NULL
      AND (s."startedAt" AT TIME ZONE 'UTC' AT TIME ZONE o.tz)::date < o.today
      AND NOT EXISTS (SELECT 1 FROM "ConcurrencyDay" c
                      WHERE c."orgId" = ${orgId} AND c."developerId" = s."developerId" AND c.day = o.today)
    GROUP BY s."developerId", o.tz, o.today`;
  const stale = found.filter((r) => r.kind === 'window');
  const running = found.filter((r) => r.kind === 'running');
  if (stale.length === 0 && running.length === 0) return 0;
  const byDeveloper = new Map<string, Set<string>>();
  const add = (developerId: string, days: string[]) => {
    const set = byDeveloper.get(developerId) ?? new Set<string>();
    for (const d of days) set.add(d);
    byDeveloper.set(developerId, set);
  };
  for (const r of stale) add(r.developerId, [r.day]);
  for (const r of running) add(r.developerId, daysFrom(r.day, r.today));
  const timeZone = found[0]!.timeZone;
  const allDays = new Set<string>();
  for (const developerId of [...byDeveloper.keys()].sort()) {
    const days = [...byDeveloper.get(developerId)!].sort();
    for (const d of days) allDays.add(d);
    await rewriteDeveloper(tx, { orgId, developerId, timeZone, days, now });
  }
  await rewriteOrgLocked(tx, orgId, [...allDays].sort());
  return byDeveloper.size;
}

export interface RebuildProgress {
  /** Developers whose rollups are rewritten so far, of `total`. */
  done: number;
  total: number;
}

/**
 * Deletes an org's rollups and computes them again from the raw rows, one developer per
 * transaction (progress shows, and no transaction holds the whole history). Pages read a
 * partial picture while it runs.
 */
export async function rebuildEvidence(
  db: Database,
  orgId: string,
  options: { now?: Date; onProgress?: (p: RebuildProgress) => void } = {},
): Promise<{ developers: number }> {
  const now = options.now ?? new Date();
  const { timeZone, developers, first } = await db.forOrg(orgId, async (tx) => {
    const org = await tx.organization.findUniqueOrThrow({ where: { id: orgId }, select: { timeZone: true } });
    for (const table of ['EvidenceDay', 'ChannelDay', 'ConcurrencyDay'] as const) {
      await run(tx, deleteRollupRows(table, { orgId, timeZone: org.timeZone, now, developerId: null, days: null }));
    }
    await run(tx, rewriteDeveloperWeeks(orgId, null, null)[0]!);
    await rewriteOrgLocked(tx, orgId, null);
    const rows = await tx.agentSession.groupBy({ by: ['developerId'], where: { orgId }, _min: { startedAt: true } });
    const earliest = await tx.invocation.findFirst({ where: { orgId }, orderBy: { receivedAt: 'asc' }, select: { receivedAt: true } });
    const starts = rows.map((r) => r._min.startedAt).filter((d): d is Date => !!d);
    const candidates = [...starts, ...(earliest ? [earliest.receivedAt] : [])].map(Number);
    return {
      timeZone: org.timeZone,
      developers: rows.map((r) => r.developerId).sort(),
      first: candidates.length ? new Date(Math.min(...candidates)) : null,
    };
  });
  if (!first) return { developers: 0 };
  const from = dayOf(first, timeZone);
  const to = dayOf(now, timeZone);
  for (const [i, developerId] of developers.entries()) {
    await db.forOrg(orgId, async (tx) => {
      await lockDeveloper(tx, orgId, developerId);
      // Rows a session's refresh wrote since the first delete are rewritten here whole.
      for (const table of ['EvidenceDay', 'ChannelDay', 'ConcurrencyDay'] as const) {
        await run(tx, deleteRollupRows(table, { orgId, timeZone, now, developerId, days: null }));
      }
      const t: RollupTarget = { orgId, timeZone, now, developerId, days: null };
      await run(tx, insertEvidenceDays(t));
      await run(tx, insertChannelDays(t));
      await run(tx, insertConcurrencyDays(t, from, to));
      await runAll(tx, rewriteDeveloperWeeks(orgId, developerId, null));
    });
    options.onProgress?.({ done: i + 1, total: developers.length });
  }
  // The org's days and weeks once, from every developer's days (a refresh since has rewritten its own weeks too).
  await db.forOrg(orgId, (tx) => rewriteOrgLocked(tx, orgId, null));
  return { developers: developers.length };
}
