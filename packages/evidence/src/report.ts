// The maturity report (PRODUCT.md §5): for the org and each team, the five criteria now and in
// the period before, the level reached and what to do next. Team figures are group aggregates,
// so they are shown to every role; nothing here is per person.
import type { Tx } from '@parallax/db';
import {
  type CriteriaSummary,
  type CriteriaTotals,
  type CriteriaGroupsScope,
  criteriaFromTotals,
  criteriaGroupsQuery,
  criteriaGroupsWeeksPackedQuery,
  criteriaGroupsWithWeeksQuery,
  unpackWeeks,
} from '@parallax/metrics';
import { levelOf, type NextStep, nextSteps } from './next-steps.ts';
import { refreshByClock, refreshStaleTeamWeeks, teamRollupsCurrent } from './rollups.ts';
import type { EvidenceScope } from './scope.ts';

export interface GroupReport {
  teamId: string | null;
  name: string;
  members: number;
  current: CriteriaSummary;
  previous: CriteriaSummary;
  /** The period week by week (ISO weeks, clipped to it), for the report's charts. */
  weeks: ReportWeek[];
  level: 'L4' | 'below L4';
  holding: number;
  nextSteps: NextStep[];
}

/** What the report's charts draw of a week: criteria 3, 4 and 5 (the Evidence page has every figure of a week). */
export interface ReportWeek {
  week: string;
  parallel: CriteriaSummary['parallel'];
  completion: CriteriaSummary['completion'];
  sla: CriteriaSummary['sla'];
}

/** The week figures those need: a report of many teams sends and parses only these per week. */
const CHART_FIGURES = [
  'finished',
  'unassisted',
  'sla_within',
  'sla_breached',
  'sla_missed',
  'sla_open',
  'active_developers',
  'meeting_parallel',
] as const satisfies readonly (keyof CriteriaTotals)[];

/** A week's chart figures, by the same verdicts as every other figure (the figures not read are zero). */
export function reportWeek(week: string, totals: Pick<CriteriaTotals, (typeof CHART_FIGURES)[number]>, slaTarget: number): ReportWeek {
  const zero: CriteriaTotals = {
    finished: 0,
    unassisted: 0,
    unattended: 0,
    sla_within: 0,
    sla_breached: 0,
    sla_missed: 0,
    sla_open: 0,
    prs_opened: 0,
    prs_merged: 0,
    merged_steered: 0,
    merged_reviewed: 0,
    merged_unreviewed: 0,
    review_latency_ms: 0,
    cost_usd: 0,
    cost_reported: 0,
    weeks: 1,
    unattended_weeks: 0,
    channels: [],
    active_developers: 0,
    meeting_parallel: 0,
  };
  const picked = Object.fromEntries(CHART_FIGURES.map((k) => [k, totals[k]]));
  const c = criteriaFromTotals({ ...zero, ...picked }, slaTarget);
  return { week, parallel: c.parallel, completion: c.completion, sla: c.sla };
}

export interface MaturityReport {
  org: GroupReport;
  teams: GroupReport[];
  slaTarget: number;
}

/**
 * Runs `work` in a transaction of its own, in the viewer's tenant scope (the tRPC context's
 * `tenant`). The report runs its statements on several at once: they are independent reads, and
 * a server with cores to spare answers in the time of the slowest instead of their sum.
 */
export type Transact = <T>(work: (tx: Tx) => Promise<T>) => Promise<T>;

/**
 * The report for `scope`, resolved beforehand. Call it with no transaction open: it opens its
 * own, and on the embedded PGlite (one transaction at a time) an open one would wait on them
 * while they wait on it.
 */
export async function maturityReport(transact: Transact, scope: EvidenceScope): Promise<MaturityReport> {
  // First, and committed before the reads: closed SLA windows and stale team weeks rewritten, so
  // that each read below, in a transaction of its own, sees them. What the report covers is read
  // in the same transaction, in one statement: every statement below waits on it (a few ms).
  const { org, teams, orgMembers } = await transact(async (tx) => {
    await refreshByClock(tx, scope.orgId, scope.now);
    await refreshStaleTeamWeeks(tx, scope.orgId);
    return reportSubject(tx, scope);
  });
  // Five statements for the whole report, whatever the number of teams, each in a transaction of
  // its own and all at once: the org's period with its weeks; its period before; the teams'
  // period; their weeks; their period before. The work is the same whatever the split, but the
  // slowest part bounds the wall time: split so, none is much over 40 ms at 1.1M sessions (the
  // org's two together were 70), and a server with cores to spare finishes in about that.
  type Row = CriteriaTotals & { grp: string; week: string | null };
  type Groups = CriteriaGroupsScope['groups'];
  const lane = <T>(of: typeof teams, read: (tx: Tx, groups: Groups) => Promise<T>) =>
    transact(async (tx) => {
      // The teams' rollups only if no member change has marked one since the refresh above:
      // else every team is read from its members' own rows, as read with the teams.
      const current =
        of.length > 0 &&
        (await teamRollupsCurrent(
          tx,
          scope.orgId,
          of.map((t) => t.id),
        ));
      return read(
        tx,
        of.map((t) => ({ key: t.id, ...(current ? { teamId: t.id } : {}), developers: t.members })),
      );
    });
  const rows = (tx: Tx, q: { text: string; values: unknown[] }) => tx.$queryRawUnsafe<Row[]>(q.text, ...q.values);
  const whole = { orgId: scope.orgId, repositoryId: scope.repositoryId };
  const period = { ...whole, from: scope.from, to: scope.to };
  const periodBefore = { ...whole, ...scope.previous };
  const none = async () => [];
  const [orgNow, orgBefore, teamsNow, teamsWeeks, teamsBefore] = await Promise.all([
    lane([], (tx) => rows(tx, criteriaGroupsWithWeeksQuery({ ...period, groups: null }, CHART_FIGURES))),
    lane([], (tx) => rows(tx, criteriaGroupsQuery({ ...periodBefore, groups: null }))),
    teams.length === 0 ? none() : lane(teams, (tx, groups) => rows(tx, criteriaGroupsQuery({ ...period, groups }))),
    teams.length === 0
      ? none()
      : lane(teams, async (tx, groups) => {
          const q = criteriaGroupsWeeksPackedQuery({ ...period, groups }, CHART_FIGURES);
          const [{ weeks }] = await tx.$queryRawUnsafe<[{ weeks: string }]>(q.text, ...q.values);
          return unpackWeeks(weeks, CHART_FIGURES);
        }),
    teams.length === 0 ? none() : lane(teams, (tx, groups) => rows(tx, criteriaGroupsQuery({ ...periodBefore, groups }))),
  ]);

  const sla = org.prWithinSlaTarget;
  const context = { slaTarget: sla, developerCap: org.developerConcurrencyCap };
  const withWeeks = new Map<string, { current: CriteriaSummary; weeks: ReportWeek[] }>();
  for (const r of [...orgNow, ...teamsNow]) {
    if (r.week === null) withWeeks.set(r.grp, { current: criteriaFromTotals(r, sla), weeks: [] });
    else withWeeks.get(r.grp)!.weeks.push(reportWeek(r.week, r, sla));
  }
  for (const r of teamsWeeks) withWeeks.get(r.grp)!.weeks.push(reportWeek(r.week, r, sla));
  const previous = new Map([...orgBefore, ...teamsBefore].map((r) => [r.grp, criteriaFromTotals(r, sla)]));
  const report = (teamId: string | null, name: string, members: number, key: string): GroupReport => {
    const { current, weeks } = withWeeks.get(key)!;
    return {
      teamId,
      name,
      members,
      current,
      previous: previous.get(key)!,
      weeks,
      ...levelOf(current),
      nextSteps: nextSteps(current, context),
    };
  };
  // The org's group key is '' and a team's its id: they never collide.
  return {
    org: report(null, org.name, orgMembers, ''),
    teams: teams.map((t) => report(t.id, t.name, t.members.length, t.id)),
    slaTarget: sla,
  };
}

/** The org and its teams (or the scope's team) with their members: what the report is about. */
async function reportSubject(tx: Tx, scope: EvidenceScope) {
  const [subject] = await tx.$queryRaw<
    [
      {
        name: string;
        prWithinSlaTarget: number;
        developerConcurrencyCap: number;
        members: number;
        teams: { id: string; name: string; members: string[] }[];
      },
    ]
  >`SELECT o.name, o."prWithinSlaTarget", o."developerConcurrencyCap",
      (SELECT count(*)::int FROM "Membership" m WHERE m."orgId" = o.id) AS members,
      coalesce((
        SELECT json_agg(json_build_object('id', t.id, 'name', t.name, 'members', t.members) ORDER BY t.name, t.id)
        FROM (
          SELECT t.id, t.name, coalesce(array_agg(DISTINCT m."userId") FILTER (WHERE m."userId" IS NOT NULL), '{}') AS members
          FROM "Team" t LEFT JOIN "TeamMember" tm ON tm."teamId" = t.id LEFT JOIN "Membership" m ON m.id = tm."membershipId"
          WHERE t."orgId" = o.id AND (${scope.teamId ?? null}::text IS NULL OR t.id = ${scope.teamId ?? null})
          GROUP BY t.id
        ) t
      ), '[]') AS teams
    FROM "Organization" o WHERE o.id = ${scope.orgId}`;
  if (!subject) throw new Error(`organization ${scope.orgId} is not in scope`);
  const { name, prWithinSlaTarget, developerConcurrencyCap, members, teams } = subject;
  return { org: { name, prWithinSlaTarget, developerConcurrencyCap }, teams, orgMembers: members };
}
