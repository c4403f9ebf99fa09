// The page scope the parallel queries read (the evidence contract's EvidenceScope, of which
// they need these fields) and who may see whom in it.

export interface ParallelScope {
  orgId: string;
  timeZone: string;
  /** Org-local days, both included. */
  from: string;
  to: string;
  teamId?: string | null;
  repositoryId?: string | null;
  /** The people in scope: the team's members, or every member of the org. */
  developerIds: readonly string[];
  minGroupSize: number;
  /** The role has 'individuals:read'. */
  seesIndividuals: boolean;
  viewerId: string;
}

export type PersonLevel = 'named' | 'anonymous' | 'none';

export function personLevel(scope: Pick<ParallelScope, 'seesIndividuals' | 'developerIds' | 'minGroupSize'>): PersonLevel {
  if (scope.seesIndividuals) return 'named';
  return scope.developerIds.length >= scope.minGroupSize ? 'anonymous' : 'none';
}
