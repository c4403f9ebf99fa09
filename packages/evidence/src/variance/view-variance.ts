// The Variance page's one query (issue 9 "Variance", METRICS.md "Throughput and variance"):
// multipliers of the people in scope from the rollups, their spread, the rank correlations with
// the four factors, and per-person points as far as the viewer may see them.
import type { Tx } from '@parallax/db';
import {
  boxPlot,
  developerThroughputQuery,
  rankCorrelation,
  readThroughputRows,
  type DeveloperThroughput,
  wholeWeeks,
} from '@parallax/metrics';
import { type TVarianceFactor, type TVariancePerson, type TVarianceView, VARIANCE_FACTORS } from './variance-view.schema.ts';

/** The slice of the page scope (resolveScope) this view reads. */
export interface VarianceScope {
  orgId: string;
  from: string;
  to: string;
  repositoryId?: string | null;
  developerIds: readonly string[];
  minGroupSize: number;
  seesIndividuals: boolean;
  viewerId: string;
}

export type PersonLevel = 'named' | 'anonymous' | 'none';

/** METRICS.md, last line of "Throughput and variance": names only to roles that may see individuals. */
export function variancePersonLevel(scope: Pick<VarianceScope, 'seesIndividuals' | 'developerIds' | 'minGroupSize'>): PersonLevel {
  if (scope.seesIndividuals) return 'named';
  return scope.developerIds.length >= scope.minGroupSize ? 'anonymous' : 'none';
}

export async function viewVariance(
  tx: Tx,
  scope: VarianceScope,
  personLevel: PersonLevel = variancePersonLevel(scope),
): Promise<TVarianceView> {
  const inGroup = new Set(scope.developerIds);
  // The viewer's own figures are computed even when they are outside the group (a lead's team).
  const asked = inGroup.has(scope.viewerId) ? [...scope.developerIds] : [...scope.developerIds, scope.viewerId];
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
  const box = boxPlot(measured.map((d) => d.multiplier!));
  const fenceLow = box.iqr === null ? null : box.q1! - 1.5 * box.iqr;
  const fenceHigh = box.iqr === null ? null : box.q3! + 1.5 * box.iqr;
  const isOutlier = (m: number | null) => m !== null && fenceLow !== null && (m < fenceLow || m > fenceHigh!);

  const names = personLevel === 'named' ? await memberNames(tx, scope.orgId, asked) : new Map<string, string>();
  const toPerson = (d: DeveloperThroughput, key: string): TVariancePerson => ({
    key,
    name: personLevel === 'named' || d.developerId === scope.viewerId ? (names.get(d.developerId) ?? null) : null,
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
    personLevel === 'none'
      ? []
      : personLevel === 'named'
        ? group.map((d) => toPerson(d, d.developerId))
        : // Anonymous points are ordered by their figures, never by who they are, and keyed by rank.
          [...group].sort(byMultiplier).map((d, i) => toPerson(d, `person-${i + 1}`));
  const viewer = result.developers.find((d) => d.developerId === scope.viewerId);
  const showCorrelations = personLevel === 'named' || scope.developerIds.length >= scope.minGroupSize;

  return {
    from: scope.from,
    to: scope.to,
    weeks: result.weeks.length,
    personLevel,
    minGroupSize: scope.minGroupSize,
    groupSize: scope.developerIds.length,
    activeCount: group.filter((d) => d.isActive).length,
    orgBaselineCount: measured.filter((d) => d.isOrgBaseline).length,
    orgBaseline: result.orgBaseline,
    box: {
      count: box.count,
      median: box.median,
      q1: box.q1,
      q3: box.q3,
      iqr: box.iqr,
      mean: box.mean,
      coefficientOfVariation: box.coefficientOfVariation,
      whiskerLow: box.whiskerLow,
      whiskerHigh: box.whiskerHigh,
      outlierCount: box.outliers.length,
    },
    correlations: showCorrelations ? VARIANCE_FACTORS.map((factor) => correlate(measured, factor)) : null,
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
