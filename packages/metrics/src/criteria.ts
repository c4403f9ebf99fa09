// The five L4 criteria for a group over a period (METRICS.md, "Maturity level"), and the
// oversight and cost figures beside them, from session facts. criteria-sql.ts computes the same
// from the rollups; a property test holds them equal.
import { channelsUsed, completionWithoutIntervention, isFinished } from './completion.ts';
import { dailyConcurrency, groupParallelCriterion } from './concurrency.ts';
import { dayOf, daysFrom } from './days.ts';
import { costPerMergedPr, provenanceShares } from './pull-requests.ts';
import { type SessionFacts, isUnattendedSession, isWithdrawnByRequester } from './rollup.ts';
import { prWithinSla, slaVerdict } from './sla.ts';

/**
 * A team or org holds criterion 3 when at least half of its active developers meet it (their
 * median daily max is 3 or more): METRICS.md gives the share, this is the bar it must clear.
 */
export const PARALLEL_GROUP_TARGET = 0.5;

export interface CriteriaPeriod {
  from: string;
  to: string;
  timeZone: string;
  now: Date;
  /** The PR-within-SLA target (the org's, default 0.9). */
  slaTarget: number;
}

export interface CriteriaSummary {
  unattended: { weeks: number; weeksWithUnattended: number; unattended: number; finished: number; meets: boolean };
  channels: { channels: string[]; meets: boolean };
  parallel: { activeDevelopers: number; meeting: number; share: number | null; meets: boolean };
  completion: { finished: number; unassisted: number; rate: number | null; meets: boolean };
  sla: { within: number; breached: number; missed: number; open: number; counted: number; rate: number | null; meets: boolean };
  pullRequests: {
    opened: number;
    merged: number;
    steered: number;
    reviewed: number;
    unreviewed: number;
    /** Merged without synchronous oversight: merged, and no intervention while its session ran. */
    withoutOversight: number;
    meanReviewLatencyMs: number | null;
  };
  cost: { reportedUsd: number; reported: number; sessions: number; usdPerMergedPr: number | null; coverage: number | null };
  /** All five hold. */
  l4: boolean;
}

/** The Monday (ISO week start) of an org-local day. */
export function weekOf(day: string): string {
  const t = Date.parse(`${day}T00:00:00Z`);
  const dow = (new Date(t).getUTCDay() + 6) % 7;
  return new Date(t - dow * 86_400_000).toISOString().slice(0, 10);
}

/** The weeks a period touches (its first and last may be partial), by their Mondays. */
export function weeksOf(from: string, to: string): string[] {
  return [...new Set(daysFrom(from, to).map(weekOf))];
}

/**
 * Criteria over the group's sessions (the caller picks its developers). With a repository,
 * every figure counts that repository's sessions except criterion 3: concurrency is a
 * developer's, across repositories.
 */
export function criteria(
  allSessions: readonly SessionFacts[],
  period: CriteriaPeriod,
  repositoryId: string | null = null,
): CriteriaSummary {
  const sessions = repositoryId ? allSessions.filter((s) => s.repositoryId === repositoryId) : allSessions;
  const inPeriod = (d: Date | null | undefined) => {
    if (!d) return false;
    const day = dayOf(d, period.timeZone);
    return day >= period.from && day <= period.to;
  };
  const ended = sessions.filter((s) => s.endedAt && isFinished(s) && inPeriod(s.endedAt));
  const received = sessions.filter((s) => inPeriod(s.receivedAt));

  const weeks = weeksOf(period.from, period.to);
  const unattendedWeeks = new Set(ended.filter(isUnattendedSession).map((s) => weekOf(dayOf(s.endedAt!, period.timeZone))));
  const unattended = ended.filter(isUnattendedSession).length;

  // One invocation once, under its first session (as channelDays counts it).
  const firstOf = new Map<string, SessionFacts>();
  for (const s of allSessions) {
    const seen = firstOf.get(s.invocationId);
    if (!seen || s.sessionId < seen.sessionId) firstOf.set(s.invocationId, s);
  }
  const channels = channelsUsed([...firstOf.values()].filter((s) => inPeriod(s.receivedAt) && sessions.includes(s)));

  const group = groupParallelCriterion(dailyConcurrency(allSessions, period).filter((d) => d.maxConcurrency > 0));
  const completion = completionWithoutIntervention(ended.map((s) => ({ ...s, interventions: s.interventionTimes.length })));
  const owed = received
    .filter((s) => s.slaMinutes !== null)
    .map((s) => ({
      receivedAt: s.receivedAt,
      slaMinutes: s.slaMinutes!,
      prOpenedAt: s.pr?.openedAt ?? null,
      shouldProducePr: s.taskType !== 'INVESTIGATION',
      withdrawnByRequester: isWithdrawnByRequester(s),
    }));
  const sla = prWithinSla(owed, period.now, period.slaTarget);
  const verdicts = owed.map((i) => slaVerdict(i, period.now));
  const breached = verdicts.filter((v) => v === 'breached').length;
  const missed = verdicts.filter((v) => v === 'missed').length;

  const merged = sessions.filter((s) => s.pr?.mergedAt && inPeriod(s.pr.mergedAt));
  const shares = provenanceShares(merged.map((s) => ({ ...s.pr!, interventions: s.interventionTimes.length })));
  const cost = costPerMergedPr(
    ended.map((s) => s.costUsd),
    shares.merged,
  );

  const result: Omit<CriteriaSummary, 'l4'> = {
    unattended: {
      weeks: weeks.length,
      weeksWithUnattended: unattendedWeeks.size,
      unattended,
      finished: ended.length,
      meets: weeks.length > 0 && unattendedWeeks.size === weeks.length,
    },
    channels,
    parallel: {
      activeDevelopers: group.activeDevelopers,
      meeting: group.meeting,
      share: group.share,
      meets: group.share !== null && group.share >= PARALLEL_GROUP_TARGET,
    },
    completion: { finished: completion.finished, unassisted: completion.unassisted, rate: completion.rate, meets: completion.meets },
    sla: {
      within: sla.within,
      breached,
      missed,
      open: sla.open,
      counted: sla.counted,
      rate: sla.rate,
      meets: sla.meets,
    },
    pullRequests: {
      opened: sessions.filter((s) => s.pr && inPeriod(s.pr.openedAt)).length,
      merged: shares.merged,
      steered: shares.steered,
      reviewed: shares.reviewed,
      unreviewed: shares.unreviewed,
      withoutOversight: shares.reviewed + shares.unreviewed,
      meanReviewLatencyMs: shares.reviewLatenciesMs.length
        ? shares.reviewLatenciesMs.reduce((a, b) => a + b, 0) / shares.reviewLatenciesMs.length
        : null,
    },
    cost: {
      reportedUsd: cost.reportedUsd,
      reported: ended.filter((s) => s.costUsd !== null).length,
      sessions: ended.length,
      usdPerMergedPr: cost.usdPerMergedPr,
      coverage: cost.coverage,
    },
  };
  return {
    ...result,
    l4: result.unattended.meets && result.channels.meets && result.parallel.meets && result.completion.meets && result.sla.meets,
  };
}
