// The Evidence page's figures: the five criteria for the period and the one before it, week by
// week for the trend lines, and the channels used over time, all read from the rollups.
import type { Tx } from '@parallax/db';
import {
  type CriteriaSummary,
  type CriteriaTotals,
  channelsByWeekQuery,
  criteriaFromTotals,
  criteriaQuery,
  criteriaWithWeeksQuery,
} from '@parallax/metrics';
import { teamRollupsCurrent } from './rollups.ts';
import type { EvidenceScope } from './scope.ts';

export interface EvidenceSummary {
  current: CriteriaSummary;
  previous: CriteriaSummary;
  weeks: ({ week: string } & CriteriaSummary)[];
  /** Invocations per channel per week. */
  channelsByWeek: { week: string; channel: string; invocations: number }[];
  slaTarget: number;
}

export async function evidenceSummary(tx: Tx, scope: EvidenceScope): Promise<EvidenceSummary> {
  const { prWithinSlaTarget: slaTarget } = await tx.organization.findUniqueOrThrow({
    where: { id: scope.orgId },
    select: { prWithinSlaTarget: true },
  });
  // The team's rollups when they are its members' as the scope read them (resolveScope refreshed them first).
  const teamId = scope.teamId && (await teamRollupsCurrent(tx, scope.orgId, [scope.teamId])) ? scope.teamId : null;
  const base = { orgId: scope.orgId, developers: scope.restrictTo, teamId, repositoryId: scope.repositoryId, slaTarget };
  const totals = async (q: { text: string; values: unknown[] }) =>
    tx.$queryRawUnsafe<(CriteriaTotals & { week: string | null })[]>(q.text, ...q.values);
  // The period and its weeks in one statement over the same rows; the period before on its own.
  const [current, ...weeks] = await totals(criteriaWithWeeksQuery({ ...base, from: scope.from, to: scope.to }));
  const [previous] = await totals(criteriaQuery({ ...base, ...scope.previous }));
  const channels = channelsByWeekQuery({ ...base, from: scope.from, to: scope.to });
  const channelsByWeek = await tx.$queryRawUnsafe<{ week: string; channel: string; invocations: number }[]>(
    channels.text,
    ...channels.values,
  );
  return {
    current: criteriaFromTotals(current!, slaTarget),
    previous: criteriaFromTotals(previous!, slaTarget),
    weeks: weeks.map((w) => ({ week: w.week!, ...criteriaFromTotals(w, slaTarget) })),
    channelsByWeek,
    slaTarget,
  };
}
