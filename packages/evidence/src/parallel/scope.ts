// The fields of the evidence page scope (../scope.ts, resolveScope) the parallel queries read:
// tests build one by hand, the router passes resolveScope's. Not the repository: concurrency
// is a developer's across every repository (METRICS.md "Concurrency of a developer at time t";
// criterion 3 counts it so, with or without a repository in scope).
import type { EvidenceScope } from '../scope.ts';

export type ParallelScope = Pick<
  EvidenceScope,
  'orgId' | 'timeZone' | 'from' | 'to' | 'restrictTo' | 'groupSize' | 'minGroupSize' | 'seesIndividuals' | 'viewerId' | 'now'
>;
export { type PersonLevel, personLevel } from '../scope.ts';
