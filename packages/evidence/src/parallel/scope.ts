// The fields of the evidence page scope (scope.ts of this package, resolveScope) that the
// parallel queries read, and the person-level rule over them.
export interface ParallelScope {
  orgId: string;
  timeZone: string;
  /** Org-local days, both included. */
  from: string;
  to: string;
  repositoryId: string | null;
  /** A team's members; null: everyone's rows in the org, former members included. */
  restrictTo: string[] | null;
  /** The people of the group, for the minimum-group rule. */
  groupSize: number;
  minGroupSize: number;
  /** The role has 'individuals:read'. */
  seesIndividuals: boolean;
  viewerId: string;
  /** Running sessions count up to here. */
  now: Date;
}

export type PersonLevel = 'named' | 'anonymous' | 'none';

export function personLevel(scope: Pick<ParallelScope, 'seesIndividuals' | 'groupSize' | 'minGroupSize'>): PersonLevel {
  if (scope.seesIndividuals) return 'named';
  return scope.groupSize >= scope.minGroupSize ? 'anonymous' : 'none';
}
