// The evidence the pages show (PRODUCT.md §5): rollups kept current from the raw rows, the
// scope of a page (org, team, repository, period) with who may see whom, and the queries each
// page runs in PostgreSQL. Every figure's definition is @parallax/metrics'.
export {
  type RebuildProgress,
  rebuildEvidence,
  refreshByClock,
  refreshDeveloperDays,
  refreshSessionEvidence,
  refreshStaleTeamWeeks,
} from './rollups.ts';
export { CRITERIA, type Cell, type Criterion, CSV_ROW_LIMIT, type EvidenceRows, evidenceRows, toCsv, ZCriterion } from './rows.ts';
export {
  type EvidenceScope,
  type EvidenceScopeInput,
  forbiddenPerson,
  MAX_PERIOD_DAYS,
  maySee,
  type PersonLevel,
  personLevel,
  resolveScope,
  type Viewer,
  ZEvidenceScope,
} from './scope.ts';
export { type EvidenceSummary, evidenceSummary } from './summary.ts';
export { type CriterionKey, levelOf, type NextStep, nextSteps } from './next-steps.ts';
export { type GroupReport, type MaturityReport, maturityReport, type ReportWeek, type Transact } from './report.ts';
export { type VarianceScope, viewVariance } from './variance/view-variance.ts';
export {
  type TVarianceFactor,
  type TVariancePerson,
  type TVarianceView,
  VARIANCE_FACTORS,
  ZVariancePerson,
  ZVarianceView,
} from './variance/variance-view.schema.ts';
