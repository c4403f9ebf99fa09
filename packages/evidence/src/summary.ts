// The Evidence page's figures: the five criteria for the period and the one before it, week by
// week for the trend lines, and the channels used over time, all read from the rollups.
import type { Tx } from '@parallax/db';
import { type CriteriaSummary, type CriteriaTotals, criteriaByWeekQuery, criteriaFromTotals, criteriaQuery } from '@parallax/metrics';
import { refreshClosedWindows } from './rollups.ts';
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
  await refreshClosedWindows(tx, scope.orgId, scope.now);
  const { prWithinSlaTarget: slaTarget } = await tx.organization.findUniqueOrThrow({
    where: { id: scope.orgId },
    select: { prWithinSlaTarget: true },
  });
  const base = { orgId: scope.orgId, developers: scope.restrictTo, repositoryId: scope.repositoryId, slaTarget };
  const totals = async (q: { text: string; values: unknown[] }) =>
    tx.$queryRawUnsafe<(CriteriaTotals & { week?: string })[]>(q.text, ...q.values);
  const [current] = await totals(criteriaQuery({ ...base, from: scope.from, to: scope.to }));
  const [previous] = await totals(criteriaQuery({ ...base, ...scope.previous }));
  const weeks = await totals(criteriaByWeekQuery({ ...base, from: scope.from, to: scope.to }));
  const channelsByWeek = await tx.$queryRawUnsafe<{ week: string; channel: string; invocations: number }[]>(
    `SELECT to_char(date_trunc('week', day), 'YYYY-MM-DD') AS week, channel::text AS channel, sum(invocations)::int AS invocations
     FROM "ChannelDay"
     WHERE "orgId" = $1 AND day BETWEEN $2::date AND $3::date AND ($4::text[] IS NULL OR "developerId" = ANY($4::text[]))
       AND ($5::text IS NULL OR "repositoryId" = $5)
     GROUP BY 1, 2 ORDER BY 1, 2`,
    scope.orgId,
    scope.from,
    scope.to,
    scope.restrictTo,
    scope.repositoryId,
  );
  return {
    current: criteriaFromTotals(current!, slaTarget),
    previous: criteriaFromTotals(previous!, slaTarget),
    weeks: weeks.map((w) => ({ week: w.week!, ...criteriaFromTotals(w, slaTarget) })),
    channelsByWeek,
    slaTarget,
  };
}
