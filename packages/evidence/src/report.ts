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
  criteriaGroupsWeeksQuery,
  criteriaGroupsWithWeeksQuery,
} from '@parallax/metrics';
import { levelOf, type NextStep, nextSteps } from './next-steps.ts';
import { noJit, refreshByClock, refreshStaleTeamWeeks, teamRollupsCurrent } from './rollups.ts';
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
  // that each read below, in a transaction of its own, sees them.
  await transact(async (tx) => {
    await noJit(tx);
    await refreshByClock(tx, scope.orgId, scope.now);
    await refreshStaleTeamWeeks(tx, scope.orgId);
  });
  // What the report covers, read beside the org's statements.
  const about = transact(async (tx) => ({
    org: await tx.organization.findUniqueOrThrow({
      where: { id: scope.orgId },
      select: { name: true, prWithinSlaTarget: true, developerConcurrencyCap: true },
    }),
    teams: (
      await tx.team.findMany({
        where: { orgId: scope.orgId, ...(scope.teamId ? { id: scope.teamId } : {}) },
        select: { id: true, name: true, members: { select: { membership: { select: { userId: true } } } } },
        orderBy: { name: 'asc' },
      })
    ).map((t) => ({ id: t.id, name: t.name, members: [...new Set(t.members.map((m) => m.membership.userId))].sort() })),
    orgMembers: await tx.membership.count({ where: { orgId: scope.orgId } }),
  }));
  // Five statements for the whole report, whatever the number of teams, in four transactions at
  // once (four connections at most, each about 30–60 ms of work at a large org): the org's period
  // with its weeks and its period before; the teams' period; their weeks; their period before.
  // At 1.14M sessions on two cores, three, four or five transactions measured alike within
  // run-to-run noise; one transaction for all (the sum of the statements) took about 60 ms more.
  type Row = CriteriaTotals & { grp: string; week: string | null };
  type Statement = { text: string; values: unknown[] };
  type Groups = CriteriaGroupsScope['groups'];
  const lane = (teams: Awaited<typeof about>['teams'], statements: (groups: Groups) => Statement[]) =>
    transact(async (tx) => {
      await noJit(tx);
      // The teams' rollups only if no member change has marked one since the refresh above:
      // else every team is read from its members' own rows, as read in `about`.
      const current = await teamRollupsCurrent(
        tx,
        scope.orgId,
        teams.map((t) => t.id),
      );
      const groups = teams.map((t) => ({ key: t.id, ...(current ? { teamId: t.id } : {}), developers: t.members }));
      const rows: Row[][] = [];
      for (const q of statements(groups)) rows.push(await tx.$queryRawUnsafe<Row[]>(q.text, ...q.values));
      return rows;
    });
  const whole = { orgId: scope.orgId, repositoryId: scope.repositoryId };
  const period = { ...whole, from: scope.from, to: scope.to };
  const periodBefore = { ...whole, ...scope.previous };
  const teamRows = about.then(({ teams }) =>
    teams.length === 0
      ? ([[[]], [[]], [[]]] as [Row[][], Row[][], Row[][]])
      : Promise.all([
          lane(teams, (groups) => [criteriaGroupsQuery({ ...period, groups })]),
          lane(teams, (groups) => [criteriaGroupsWeeksQuery({ ...period, groups }, CHART_FIGURES)]),
          lane(teams, (groups) => [criteriaGroupsQuery({ ...periodBefore, groups })]),
        ]),
  );
  const [[orgNow, orgBefore], { org, teams, orgMembers }, [[teamsNow], [teamsWeeks], [teamsBefore]]] = await Promise.all([
    lane([], () => [
      criteriaGroupsWithWeeksQuery({ ...period, groups: null }, CHART_FIGURES),
      criteriaGroupsQuery({ ...periodBefore, groups: null }),
    ]),
    about,
    teamRows,
  ]);

  const sla = org.prWithinSlaTarget;
  const context = { slaTarget: sla, developerCap: org.developerConcurrencyCap };
  const withWeeks = new Map<string, { current: CriteriaSummary; weeks: ReportWeek[] }>();
  for (const r of [...orgNow!, ...teamsNow!, ...teamsWeeks!]) {
    if (r.week === null) withWeeks.set(r.grp, { current: criteriaFromTotals(r, sla), weeks: [] });
    else withWeeks.get(r.grp)!.weeks.push(reportWeek(r.week, r, sla));
  }
  const previous = new Map([...orgBefore!, ...teamsBefore!].map((r) => [r.grp, criteriaFromTotals(r, sla)]));
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
