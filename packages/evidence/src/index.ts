// The evidence the pages show (PRODUCT.md §5): rollups kept current from the raw rows, the
// scope of a page (org, team, repository, period) with who may see whom, and the queries each
// page runs in PostgreSQL. Every figure's definition is @parallax/metrics'.
export { type RebuildProgress, rebuildEvidence, refreshClosedWindows, refreshDeveloperDays, refreshSessionEvidence } from './rollups.ts';
export {
  type EvidenceScope,
  type EvidenceScopeInput,
  maySee,
  type PersonLevel,
  personLevel,
  resolveScope,
  ZEvidenceScope,
} from './scope.ts';
