// METRICS.md as code: one definition of every figure, computed here and nowhere else.
export {
  activeInterval,
  type DeveloperDay,
  dailyConcurrency,
  type GroupParallelCriterion,
  groupParallelCriterion,
  isParallelDay,
  median,
  type ParallelCriterion,
  type Period,
  parallelCriterion,
  type SessionTimes,
} from './concurrency.ts';
export { dayOf, daysFrom, isTimeZone, nextDay, startOfDay } from './days.ts';
export {
  COMPLETION_TARGET,
  type ChannelsUsed,
  type CompletionRate,
  channelsUsed,
  completionWithoutIntervention,
  isFinished,
  type SessionOutcome,
  type SessionStatus,
} from './completion.ts';
export { type InvocationSla, prWithinSla, SLA_TARGET, type SlaRate, type SlaVerdict, slaDeadline, slaVerdict, timeToPr } from './sla.ts';
export { mean, quantile, rankCorrelation, type Spread, spread, throughputMultiplier } from './variance.ts';
export {
  type AgentPullRequest,
  approvalProvenance,
  type CostPerMergedPr,
  costPerMergedPr,
  mergedWithoutSynchronousOversight,
  mergeLatencyMs,
  type Provenance,
  type ProvenanceShares,
  provenanceShares,
  reviewLatencyMs,
} from './pull-requests.ts';
export { type DailyConcurrencyParams, dailyConcurrencyQuery } from './daily-concurrency-sql.ts';
export {
  MEDIAN_BUCKETS,
  type MedianBucket,
  medianBucket,
  PARALLEL_THRESHOLD,
  parallelCriterionOfCounts,
  parallelCriterionQuery,
} from './parallel-criterion-sql.ts';
export {
  type ChannelDayRow,
  channelDays,
  type EvidenceCounts,
  type EvidenceDayRow,
  emptyCounts,
  evidenceDays,
  isUnattendedSession,
  isWithdrawnByRequester,
  type SessionFacts,
} from './rollup.ts';
export { deleteRollupRows, insertChannelDays, insertConcurrencyDays, insertEvidenceDays, type RollupTarget } from './rollup-sql.ts';
export { evidenceRowsQuery, ROW_CRITERIA, type RowCriterion, type RowsScope } from './evidence-rows-sql.ts';
export { type CriteriaPeriod, type CriteriaSummary, criteria, PARALLEL_GROUP_TARGET, weekOf, weeksOf } from './criteria.ts';
export {
  type CriteriaGroupsScope,
  type CriteriaScope,
  type CriteriaTotals,
  channelsByWeekQuery,
  criteriaCountsQuery,
  criteriaFromTotals,
  criteriaGroupsQuery,
  criteriaGroupsWithWeeksQuery,
  criteriaGroupsWeeksPackedQuery,
  criteriaWithWeeksQuery,
  criteriaQuery,
  unpackWeeks,
} from './criteria-sql.ts';
export { DEFINITIONS, type MetricTerm } from './definitions.ts';
export {
  type ConcurrencyDayFigures,
  type DeveloperThroughput,
  developerThroughput,
  type ThroughputDay,
  type ThroughputParams,
  type ThroughputResult,
  wholeWeeks,
} from './throughput.ts';
export {
  developerThroughputQuery,
  readThroughputRows,
  type ThroughputQueryParams,
  type ThroughputRelations,
} from './throughput-sql.ts';
export { type BoxPlot, boxPlot } from './throughput-spread.ts';
export {
  EVIDENCE_COUNT_COLUMNS,
  CUMULATIVE,
  developersWithWeeks,
  firstWholeWeek,
  lastWholeWeek,
  medianAtLeastThree,
  mondayOf,
  rewriteDeveloperWeeks,
  rewriteOrgRollups,
  rewriteTeamRollups,
} from './rollup-week-sql.ts';
