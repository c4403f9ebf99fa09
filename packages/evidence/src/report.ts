// The maturity report (PRODUCT.md §5): for the org and each team, the five criteria now and in
// the period before, the level reached and what to do next. Team figures are group aggregates,
// so they are shown to every role; nothing here is per person.
import type { Tx } from '@parallax/db';
import {
  type CriteriaSummary,
  type CriteriaTotals,
  criteriaFromTotals,
  criteriaGroupsByWeekQuery,
  criteriaGroupsQuery,
} from '@parallax/metrics';
import { levelOf, type NextStep, nextSteps } from './next-steps.ts';
import { refreshClosedWindows } from './rollups.ts';
import type { EvidenceScope } from './scope.ts';

export interface GroupReport {
  teamId: string | null;
  name: string;
  members: number;
  current: CriteriaSummary;
  previous: CriteriaSummary;
  /** The period week by week (ISO weeks, clipped to it), for the report's charts. */
  weeks: ({ week: string } & CriteriaSummary)[];
  level: 'L4' | 'below L4';
  holding: number;
  nextSteps: NextStep[];
}

export interface MaturityReport {
  org: GroupReport;
  teams: GroupReport[];
  slaTarget: number;
}

export async function maturityReport(tx: Tx, scope: EvidenceScope): Promise<MaturityReport> {
  await refreshClosedWindows(tx, scope.orgId, scope.now);
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
  const groups = teams.map((t) => ({ key: t.id, developers: [...new Set(t.members.map((m) => m.membership.userId))].sort() }));
  // Two statements for the whole report (the org and every team, now and before), whatever the number of teams.
  const read = async (from: string, to: string) => {
    const whole = { orgId: scope.orgId, from, to, repositoryId: scope.repositoryId };
    const orgQ = criteriaGroupsQuery({ ...whole, groups: null });
    const teamQ = criteriaGroupsQuery({ ...whole, groups });
    const [orgRow] = await tx.$queryRawUnsafe<CriteriaTotals[]>(orgQ.text, ...orgQ.values);
    const teamRows = groups.length ? await tx.$queryRawUnsafe<(CriteriaTotals & { grp: string })[]>(teamQ.text, ...teamQ.values) : [];
    return {
      org: criteriaFromTotals(orgRow!, org.prWithinSlaTarget),
      teams: teamRows.map((r) => criteriaFromTotals(r, org.prWithinSlaTarget)),
    };
  };
  const current = await read(scope.from, scope.to);
  const previous = await read(scope.previous.from, scope.previous.to);
  const weekly = async (g: typeof groups | null) => {
    const q = criteriaGroupsByWeekQuery({
      orgId: scope.orgId,
      from: scope.from,
      to: scope.to,
      repositoryId: scope.repositoryId,
      groups: g,
    });
    const rows = await tx.$queryRawUnsafe<(CriteriaTotals & { grp: string; week: string })[]>(q.text, ...q.values);
    const byGroup = new Map<string, GroupReport['weeks']>();
    for (const r of rows)
      byGroup.set(r.grp, [...(byGroup.get(r.grp) ?? []), { week: r.week, ...criteriaFromTotals(r, org.prWithinSlaTarget) }]);
    return byGroup;
  };
  const orgWeeks = await weekly(null);
  const teamWeeks = groups.length ? await weekly(groups) : new Map<string, GroupReport['weeks']>();
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
    org: report(null, org.name, orgMembers, current.org, previous.org, orgWeeks.get('') ?? []),
    teams: teams.map((t, i) =>
      report(t.id, t.name, groups[i]!.developers.length, current.teams[i]!, previous.teams[i]!, teamWeeks.get(t.id) ?? []),
    ),
    slaTarget: org.prWithinSlaTarget,
  };
}
