// The Variance page's one query (issue 9 "Variance", METRICS.md "Throughput and variance"):
// multipliers of the people in scope from the rollups, their spread, the rank correlations with
// the four factors, and per-person points as far as the viewer may see them.
import type { Tx } from '@parallax/db';
import {
  boxPlot,
  developersWithWeeks,
  developerThroughputQuery,
  rankCorrelation,
  readThroughputRows,
  type DeveloperThroughput,
  wholeWeeks,
} from '@parallax/metrics';
import { type EvidenceScope, personLevel } from '../scope.ts';
import { type TVarianceFactor, type TVariancePerson, type TVarianceView, VARIANCE_FACTORS } from './variance-view.schema.ts';

/** The slice of the page scope (resolveScope) this view reads. */
export type VarianceScope = Pick<
  EvidenceScope,
  'orgId' | 'from' | 'to' | 'repositoryId' | 'restrictTo' | 'groupSize' | 'minGroupSize' | 'seesIndividuals' | 'viewerId'
>;

export async function viewVariance(tx: Tx, scope: VarianceScope): Promise<TVarianceView> {
  const developerIds = scope.restrictTo ?? (await orgDevelopers(tx, scope.orgId));
  const inGroup = new Set(developerIds);
  // The viewer's own figures are computed even when they are outside the group (a lead's team).
  const asked = inGroup.has(scope.viewerId) ? [...developerIds] : [...developerIds, scope.viewerId];
  const { text, values } = developerThroughputQuery({
    orgId: scope.orgId,
    from: scope.from,
    to: scope.to,
    developers: asked,
    repositoryId: scope.repositoryId ?? null,
  });
  const rows = await tx.$queryRawUnsafe<Record<string, unknown>[]>(text, ...values);
  const result = readThroughputRows(rows, wholeWeeks(scope.from, scope.to));
  const group = result.developers.filter((d) => inGroup.has(d.developerId));
  const measured = group.filter((d) => d.multiplier !== null);
  // METRICS.md, last line of "Throughput and variance": names only to roles that may see
  // individuals, and no per-person breakdown of fewer people than the org's minimum, counted by
  // the multipliers the breakdown draws (members without one add no cover).
  const level = personLevel(scope, measured.length);
  const box = boxPlot(measured.map((d) => d.multiplier!));
  const fenceLow = box.iqr === null ? null : box.q1! - 1.5 * box.iqr;
  const fenceHigh = box.iqr === null ? null : box.q3! + 1.5 * box.iqr;
  const isOutlier = (m: number | null) => m !== null && fenceLow !== null && (m < fenceLow || m > fenceHigh!);

  const names = level === 'named' ? await memberNames(tx, scope.orgId, asked) : new Map<string, string>();
  const toPerson = (d: DeveloperThroughput, key: string): TVariancePerson => ({
    key,
    name: level === 'named' || d.developerId === scope.viewerId ? (names.get(d.developerId) ?? null) : null,
    isYou: d.developerId === scope.viewerId,
    isActive: d.isActive,
    isOutlier: inGroup.has(d.developerId) && isOutlier(d.multiplier),
    multiplier: d.multiplier,
    meanWeeklyThroughput: d.meanWeeklyThroughput,
    meanWeeklySucceeded: d.meanWeeklySucceeded,
    baseline: d.baseline,
    baselineWeeks: d.baselineWeeks,
    isOrgBaseline: d.isOrgBaseline,
    meanConcurrency: d.meanConcurrency,
    interventionRate: d.interventionRate,
    prWithinSlaRate: d.prWithinSlaRate,
    complexShare: d.complexShare,
  });

  const people =
    level === 'none'
      ? []
      : level === 'named'
        ? group.map((d) => toPerson(d, d.developerId))
        : // Anonymous points are ordered by their figures, never by who they are, and keyed by rank.
          [...group].sort(byMultiplier).map((d, i) => toPerson(d, `person-${i + 1}`));
  const viewer = result.developers.find((d) => d.developerId === scope.viewerId);

  return {
    from: scope.from,
    to: scope.to,
    weeks: result.weeks.length,
    personLevel: level,
    minGroupSize: scope.minGroupSize,
    groupSize: Math.min(scope.groupSize, group.length),
    activeCount: group.filter((d) => d.isActive).length,
    orgBaselineCount: measured.filter((d) => d.isOrgBaseline).length,
    orgBaseline: result.orgBaseline,
    // Below the minimum only the count: with two people the mean and your own give the other's
    // multiplier, with three the median is someone's, the quartiles and whiskers are people's own.
    box: {
      count: box.count,
      ...(level === 'none'
        ? {
            median: null,
            mean: null,
            coefficientOfVariation: null,
            q1: null,
            q3: null,
            iqr: null,
            whiskerLow: null,
            whiskerHigh: null,
            outlierCount: 0,
          }
        : {
            median: box.median,
            mean: box.mean,
            coefficientOfVariation: box.coefficientOfVariation,
            q1: box.q1,
            q3: box.q3,
            iqr: box.iqr,
            whiskerLow: box.whiskerLow,
            whiskerHigh: box.whiskerHigh,
            outlierCount: box.outliers.length,
          }),
    },
    correlations: level !== 'none' ? VARIANCE_FACTORS.map((factor) => correlate(measured, factor)) : null,
    people,
    you: viewer ? toPerson(viewer, 'you') : null,
  };
}

function correlate(measured: readonly DeveloperThroughput[], factor: TVarianceFactor) {
  const pairs = measured.filter((d) => d[factor] !== null);
  return {
    factor,
    rho: rankCorrelation(
      pairs.map((d) => d.multiplier!),
      pairs.map((d) => d[factor]!),
    ),
    pairs: pairs.length,
  };
}

function byMultiplier(a: DeveloperThroughput, b: DeveloperThroughput): number {
  return (a.multiplier ?? -1) - (b.multiplier ?? -1) || (a.meanWeeklyThroughput ?? 0) - (b.meanWeeklyThroughput ?? 0);
}

async function memberNames(tx: Tx, orgId: string, userIds: readonly string[]): Promise<Map<string, string>> {
  const members = await tx.membership.findMany({
    where: { orgId, userId: { in: [...userIds] } },
    select: { userId: true, user: { select: { name: true, email: true } } },
  });
  return new Map(members.map((m) => [m.userId, m.user.name ?? m.user.email]));
}

/**
 * The org's people for the variance view: everyone with agent work in the rollups (former
 * members included, as the other evidence pages count them) and every DEVELOPER member, so one
 * who never started is listed; owners, admins and auditors without agent work are not.
 */
// DeveloperWeek holds a row for every week anyone had a day in EvidenceDay or ConcurrencyDay.
async function orgDevelopers(tx: Tx, orgId: string): Promise<string[]> {
  const rows = await tx.$queryRawUnsafe<{ id: string }[]>(
    `WITH RECURSIVE ${developersWithWeeks('devs', '$1')}
     SELECT dev AS id FROM devs WHERE dev IS NOT NULL
     UNION SELECT "userId" FROM "Membership" WHERE "orgId" = $1 AND role = 'DEVELOPER'
     ORDER BY 1`,
    orgId,
  );
  return rows.map((r) => r.id);
}
