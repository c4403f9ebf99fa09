// The fields of the evidence page scope (../scope.ts, resolveScope) the parallel queries read:
// tests build one by hand, the router passes resolveScope's.
import type { EvidenceScope } from '../scope.ts';

export type ParallelScope = Pick<
  EvidenceScope,
  | 'orgId'
  | 'timeZone'
  | 'from'
  | 'to'
  | 'repositoryId'
  | 'restrictTo'
  | 'groupSize'
  | 'minGroupSize'
  | 'seesIndividuals'
  | 'viewerId'
  | 'now'
>;
export { type PersonLevel, personLevel } from '../scope.ts';
