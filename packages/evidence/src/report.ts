// The maturity report (PRODUCT.md §5): for the org and each team, the five criteria now and in
// the period before, the level reached and what to do next. Team figures are group aggregates,
// so they are shown to every role; nothing here is per person.
import type { Tx } from '@parallax/db';
import { type CriteriaSummary, type CriteriaTotals, criteriaByWeekQuery, criteriaFromTotals, criteriaQuery } from '@parallax/metrics';
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
  const group = async (teamId: string | null, name: string, developers: string[] | null, members: number): Promise<GroupReport> => {
    const base = { orgId: scope.orgId, developers, repositoryId: scope.repositoryId, slaTarget: org.prWithinSlaTarget };
    const read = async (from: string, to: string) => {
      const q = criteriaQuery({ ...base, from, to });
      const [totals] = await tx.$queryRawUnsafe<CriteriaTotals[]>(q.text, ...q.values);
      return criteriaFromTotals(totals!, org.prWithinSlaTarget);
    };
    const current = await read(scope.from, scope.to);
    const previous = await read(scope.previous.from, scope.previous.to);
    const w = criteriaByWeekQuery({ ...base, from: scope.from, to: scope.to });
    const weekRows = await tx.$queryRawUnsafe<(CriteriaTotals & { week: string })[]>(w.text, ...w.values);
    const weeks = weekRows.map((row) => ({ week: row.week, ...criteriaFromTotals(row, org.prWithinSlaTarget) }));
    return { teamId, name, members, current, previous, weeks, ...levelOf(current), nextSteps: nextSteps(current, context) };
  };
  const orgMembers = await tx.membership.count({ where: { orgId: scope.orgId } });
  const teamReports: GroupReport[] = [];
  for (const t of teams) {
    const ids = [...new Set(t.members.map((m) => m.membership.userId))];
    teamReports.push(await group(t.id, t.name, ids, ids.length));
  }
  return { org: await group(null, org.name, null, orgMembers), teams: teamReports, slaTarget: org.prWithinSlaTarget };
}
