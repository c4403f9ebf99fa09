// What an evidence page covers and who is looking: the org, a team or a repository, a period
// of org-local days and the one before it, and how much of each person the viewer may see
// (METRICS.md, last line of "Throughput and variance"). Every evidence query starts here.
import type { Role, Tx } from '@parallax/db';
import { AppError, can, invalid, notFound } from '@parallax/tenancy';
import { z } from 'zod';
import { refreshByClock, refreshStaleTeamWeeks } from './rollups.ts';

/** Longest period a page may ask for: two years and a bit, so "the last 2 years" always fits. */
export const MAX_PERIOD_DAYS = 800;

/** The scope fields of every evidence procedure's input (beside `orgId`). */
export const ZEvidenceScope = z.object({
  from: z.iso.date({ message: 'Give a day as YYYY-MM-DD' }).max(10, { message: 'Use at most 10 characters (YYYY-MM-DD)' }),
  to: z.iso.date({ message: 'Give a day as YYYY-MM-DD' }).max(10, { message: 'Use at most 10 characters (YYYY-MM-DD)' }),
  teamId: z.string().min(1).max(64).optional(),
  repositoryId: z.string().min(1).max(64).optional(),
});
export type EvidenceScopeInput = z.infer<typeof ZEvidenceScope>;

export interface Viewer {
  userId: string;
  role: Role;
}

export interface EvidenceScope {
  orgId: string;
  timeZone: string;
  /** The org holds generated demo history. */
  demo: boolean;
  from: string;
  to: string;
  /** The period of the same length just before, for trends. */
  previous: { from: string; to: string };
  days: number;
  teamId: string | null;
  teamName: string | null;
  repositoryId: string | null;
  repositoryName: string | null;
  /** Rows of these developers only (a team); null: everyone's in the org, former members included. */
  restrictTo: string[] | null;
  /** The people of the group (the team, or the org's members), for the minimum-group rule. */
  groupSize: number;
  minGroupSize: number;
  /** The role may see each person by name ('individuals:read'). */
  seesIndividuals: boolean;
  /** The role may list everyone's sessions ('sessions:read-all'); others list only their own rows. */
  seesAllSessions: boolean;
  viewerId: string;
  /** When the figures are taken: running sessions and open SLA windows up to here. */
  now: Date;
}

/** How much of each person a page may show: by name, as anonymous points, or not at all (the viewer's own always). */
export type PersonLevel = 'named' | 'anonymous' | 'none';

/**
 * How a breakdown listing `listed` people may show them (METRICS.md "Throughput and variance",
 * last line): by name to roles with 'individuals:read'; else as anonymous points only when the
 * group and the breakdown itself both reach the org's minimum group size. The breakdown counts
 * too: three developers listed out of an org whose members are mostly owners and auditors, or
 * out of a team of twenty, are still three individuals.
 */
export function personLevel(scope: Pick<EvidenceScope, 'seesIndividuals' | 'groupSize' | 'minGroupSize'>, listed: number): PersonLevel {
  if (scope.seesIndividuals) return 'named';
  return Math.min(scope.groupSize, listed) >= scope.minGroupSize ? 'anonymous' : 'none';
}

/** Whether the viewer may see this person's own figures (their own, or anyone's with 'individuals:read'). */
export const maySee = (scope: Pick<EvidenceScope, 'seesIndividuals' | 'viewerId'>, developerId: string) =>
  scope.seesIndividuals || scope.viewerId === developerId;

export function forbiddenPerson(): AppError {
  return new AppError('FORBIDDEN', "Your role cannot see another person's figures.");
}

export async function resolveScope(
  tx: Tx,
  viewer: Viewer,
  input: EvidenceScopeInput & { orgId: string },
  now = new Date(),
): Promise<EvidenceScope> {
  if (input.from > input.to) throw invalid(`The period starts (${input.from}) after it ends (${input.to}).`);
  const days = dayNumber(input.to) - dayNumber(input.from) + 1;
  if (days > MAX_PERIOD_DAYS) throw invalid(`A period of ${days} days is too long: at most ${MAX_PERIOD_DAYS}.`);
  // The rows the clock made stale, before anything reads them; and before the team weeks'
  // refresh below, as every refresh takes its locks: developers first, then the org.
  await refreshByClock(tx, input.orgId, now);
  const org = await tx.organization.findUnique({
    where: { id: input.orgId },
    select: { timeZone: true, minGroupSize: true, demo: true },
  });
  if (!org) throw notFound('Organization');

  let restrictTo: string[] | null = null;
  let teamName: string | null = null;
  let groupSize: number;
  if (input.teamId) {
    // Team figures read the team's rollups, which must be its members' as read below.
    await refreshStaleTeamWeeks(tx, input.orgId);
    const team = await tx.team.findFirst({
      where: { id: input.teamId, orgId: input.orgId },
      select: { name: true, members: { select: { membership: { select: { userId: true } } } } },
    });
    if (!team) throw notFound('Team');
    teamName = team.name;
    restrictTo = [...new Set(team.members.map((m) => m.membership.userId))].sort();
    groupSize = restrictTo.length;
  } else {
    groupSize = await tx.membership.count({ where: { orgId: input.orgId } });
  }
  let repositoryName: string | null = null;
  if (input.repositoryId) {
    const repo = await tx.repository.findFirst({ where: { id: input.repositoryId, orgId: input.orgId }, select: { name: true } });
    if (!repo) throw notFound('Repository');
    repositoryName = repo.name;
  }
  const previousTo = dayString(dayNumber(input.from) - 1);
  return {
    orgId: input.orgId,
    timeZone: org.timeZone,
    demo: org.demo,
    from: input.from,
    to: input.to,
    previous: { from: dayString(dayNumber(previousTo) - days + 1), to: previousTo },
    days,
    teamId: input.teamId ?? null,
    teamName,
    repositoryId: input.repositoryId ?? null,
    repositoryName,
    restrictTo,
    groupSize,
    minGroupSize: org.minGroupSize,
    seesIndividuals: can(viewer.role, 'individuals:read'),
    seesAllSessions: can(viewer.role, 'sessions:read-all'),
    viewerId: viewer.userId,
    now,
  };
}

const dayNumber = (day: string) => Date.parse(`${day}T00:00:00Z`) / 86_400_000;
const dayString = (n: number) => new Date(n * 86_400_000).toISOString().slice(0, 10);
