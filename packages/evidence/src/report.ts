// The maturity report (PRODUCT.md §5): for the org and each team, the five criteria now and in
// the period before, the level reached and what to do next. Team figures are group aggregates,
// so they are shown to every role; nothing here is per person.
import type { Tx } from '@parallax/db';
import {
  type CriteriaSummary,
  type CriteriaTotals,
  criteriaFromTotals,
  criteriaGroupsQuery,
  criteriaGroupsWithWeeksQuery,
} from '@parallax/metrics';
import { levelOf, type NextStep, nextSteps } from './next-steps.ts';
import { refreshClosedWindows, refreshStaleTeamWeeks, teamRollupsCurrent } from './rollups.ts';
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

export async function maturityReport(tx: Tx, scope: EvidenceScope): Promise<MaturityReport> {
  await refreshClosedWindows(tx, scope.orgId, scope.now);
  await refreshStaleTeamWeeks(tx, scope.orgId);
  const org = await tx.organization.findUniqueOrThrow({
    where: { id: scope.orgId },
    select: { name: true, prWithinSlaTarget: true, developerConcurrencyCap: true },
  });
  const teams = await tx.team.findMany({
    where: { orgId: scope.orgId, ...(scope.teamId ? { id: scope.teamId } : {}) },
    select: { id: true, name: true, members: { select: { membership: { select: { userId: true } } } } },
    orderBy: { name: 'asc' },
  });
  const context = { slaTarget: org.prWithinSlaTarget, developerCap: org.developerConcurrencyCap };
  // The teams' rollups only if no member change has marked one since the refresh above: else
  // every team is read from its members' own rows, as just read.
  const current = await teamRollupsCurrent(
    tx,
    scope.orgId,
    teams.map((t) => t.id),
  );
  const groups = teams.map((t) => ({
    key: t.id,
    ...(current ? { teamId: t.id } : {}),
    developers: [...new Set(t.members.map((m) => m.membership.userId))].sort(),
  }));
  // Four statements for the whole report, whatever the number of teams: the org's and the
  // teams' period with its weeks (one read of their rows each), and the period before for each.
  const sla = org.prWithinSlaTarget;
  const whole = { orgId: scope.orgId, repositoryId: scope.repositoryId };
  type Row = CriteriaTotals & { grp: string; week: string | null };
  const rowsOf = async (q: { text: string; values: unknown[] }) => tx.$queryRawUnsafe<Row[]>(q.text, ...q.values);
  const withWeeks = async (g: typeof groups | null) => {
    const byGroup = new Map<string, { current: CriteriaSummary; weeks: GroupReport['weeks'] }>();
    if (g?.length === 0) return byGroup;
    for (const r of await rowsOf(criteriaGroupsWithWeeksQuery({ ...whole, from: scope.from, to: scope.to, groups: g }, CHART_FIGURES))) {
      const entry = byGroup.get(r.grp);
      if (r.week === null) byGroup.set(r.grp, { current: criteriaFromTotals(r, sla), weeks: [] });
      else entry!.weeks.push(reportWeek(r.week, r, sla));
    }
    return byGroup;
  };
  const before = async (g: typeof groups | null) => {
    if (g?.length === 0) return new Map<string, CriteriaSummary>();
    const rows = await rowsOf(criteriaGroupsQuery({ ...whole, ...scope.previous, groups: g }));
    return new Map(rows.map((r) => [r.grp, criteriaFromTotals(r, sla)]));
  };
  const orgNow = (await withWeeks(null)).get('')!;
  const orgBefore = (await before(null)).get('')!;
  const teamsNow = await withWeeks(groups);
  const teamsBefore = await before(groups);
  const report = (
    teamId: string | null,
    name: string,
    members: number,
    now: CriteriaSummary,
    before: CriteriaSummary,
    weeks: GroupReport['weeks'],
  ): GroupReport => ({
    teamId,
    name,
    members,
    current: now,
    previous: before,
    weeks,
    ...levelOf(now),
    nextSteps: nextSteps(now, context),
  });
  const orgMembers = await tx.membership.count({ where: { orgId: scope.orgId } });
  return {
    org: report(null, org.name, orgMembers, orgNow.current, orgBefore, orgNow.weeks),
    teams: teams.map((t, i) => {
      const now = teamsNow.get(t.id)!;
      return report(t.id, t.name, groups[i]!.developers.length, now.current, teamsBefore.get(t.id)!, now.weeks);
    }),
    slaTarget: org.prWithinSlaTarget,
  };
}
