// The rollups the evidence pages read (EvidenceDay, ChannelDay), as pure functions over
// session facts: each session's contribution to its developer's day, built from the one
// definition of every figure in this package. rollup-sql.ts computes the same in PostgreSQL
// and a property test holds the two equal.
import { isFinished } from './completion.ts';
import { dayOf } from './days.ts';
import { approvalProvenance, reviewLatencyMs } from './pull-requests.ts';
import { slaVerdict, slaDeadline, timeToPr } from './sla.ts';

/** What the rollups need to know of one session, its invocation, interventions and PR. */
export interface SessionFacts {
  sessionId: string;
  invocationId: string;
  developerId: string;
  repositoryId: string;
  channel: string;
  status: string;
  cancelledWhileQueued: boolean;
  /**
   * Cancelled while queued by the person who asked (METRICS.md "PR within SLA"): absent, the
   * same as cancelledWhileQueued (a fixture whose cancels are the asker's).
   */
  withdrawnByRequester?: boolean;
  /** Dispatched by a schedule or a trigger (METRICS.md "Unattended session", first half). */
  dispatchedUnattended: boolean;
  taskType: 'STANDARD' | 'COMPLEX' | 'INVESTIGATION';
  receivedAt: Date;
  startedAt: Date | null;
  endedAt: Date | null;
  slaMinutes: number | null;
  costUsd: number | null;
  interventionTimes: readonly Date[];
  pr: { openedAt: Date; mergedAt: Date | null; firstReviewAt: Date | null } | null;
}

/** Whether the person who asked cancelled it while it was still queued (SessionFacts.withdrawnByRequester). */
export const isWithdrawnByRequester = (s: Pick<SessionFacts, 'cancelledWhileQueued' | 'withdrawnByRequester'>) =>
  s.withdrawnByRequester ?? s.cancelledWhileQueued;

/**
 * METRICS.md "Unattended session": started by a schedule or a trigger, or dispatched and then
 * left alone (no intervention) until its PR opened.
 */
export function isUnattendedSession(s: Pick<SessionFacts, 'dispatchedUnattended' | 'interventionTimes' | 'pr'>): boolean {
  if (s.dispatchedUnattended) return true;
  if (!s.pr) return false;
  const opened = s.pr.openedAt.getTime();
  return s.interventionTimes.every((t) => t.getTime() >= opened);
}

export interface EvidenceDayRow {
  developerId: string;
  repositoryId: string;
  day: string;
  finished: number;
  succeeded: number;
  unassisted: number;
  intervened: number;
  interventions: number;
  unattended: number;
  complexFinished: number;
  costUsd: number;
  costReported: number;
  slaWithin: number;
  slaBreached: number;
  slaMissed: number;
  slaOpen: number;
  /** The latest deadline among open windows: the row changes by itself then. */
  slaOpenUntil: Date | null;
  timeToPrMsSum: number;
  prsOpened: number;
  prsMerged: number;
  mergedSteered: number;
  mergedReviewed: number;
  mergedUnreviewed: number;
  reviewLatencyMsSum: number;
}

export type EvidenceCounts = Omit<EvidenceDayRow, 'developerId' | 'repositoryId' | 'day' | 'slaOpenUntil'>;

export const emptyCounts = (): EvidenceCounts => ({
  finished: 0,
  succeeded: 0,
  unassisted: 0,
  intervened: 0,
  interventions: 0,
  unattended: 0,
  complexFinished: 0,
  costUsd: 0,
  costReported: 0,
  slaWithin: 0,
  slaBreached: 0,
  slaMissed: 0,
  slaOpen: 0,
  timeToPrMsSum: 0,
  prsOpened: 0,
  prsMerged: 0,
  mergedSteered: 0,
  mergedReviewed: 0,
  mergedUnreviewed: 0,
  reviewLatencyMsSum: 0,
});

/**
 * EvidenceDay rows: sessions count on the day they ended (finished ones only), SLA outcomes
 * on the day the invocation was received, PRs on the day they opened and the day they merged.
 * Rows in developer, repository, day order (code units); only days with a contribution.
 */
export function evidenceDays(sessions: readonly SessionFacts[], timeZone: string, now: Date): EvidenceDayRow[] {
  const rows = new Map<string, EvidenceDayRow>();
  const row = (s: SessionFacts, at: Date) => {
    const day = dayOf(at, timeZone);
    const key = `${s.developerId}\u0000${s.repositoryId}\u0000${day}`;
    let r = rows.get(key);
    if (!r) {
      r = { developerId: s.developerId, repositoryId: s.repositoryId, day, slaOpenUntil: null, ...emptyCounts() };
      rows.set(key, r);
    }
    return r;
  };
  for (const s of sessions) {
    const interventions = s.interventionTimes.length;
    if (s.endedAt && isFinished(s)) {
      const r = row(s, s.endedAt);
      r.finished++;
      if (s.status === 'SUCCEEDED') r.succeeded++;
      if (s.status === 'SUCCEEDED' && interventions === 0) r.unassisted++;
      if (interventions > 0) r.intervened++;
      r.interventions += interventions;
      if (isUnattendedSession(s)) r.unattended++;
      if (s.taskType === 'COMPLEX') r.complexFinished++;
      if (s.costUsd !== null) {
        r.costUsd += s.costUsd;
        r.costReported++;
      }
    }
    if (s.slaMinutes !== null) {
      const sla = {
        receivedAt: s.receivedAt,
        slaMinutes: s.slaMinutes,
        prOpenedAt: s.pr?.openedAt ?? null,
        shouldProducePr: s.taskType !== 'INVESTIGATION',
        withdrawnByRequester: isWithdrawnByRequester(s),
      };
      const verdict = slaVerdict(sla, now);
      if (verdict !== 'excluded') {
        const r = row(s, s.receivedAt);
        if (verdict === 'within') r.slaWithin++;
        if (verdict === 'breached') r.slaBreached++;
        if (verdict === 'missed') r.slaMissed++;
        if (verdict === 'open') {
          r.slaOpen++;
          const deadline = slaDeadline(sla);
          if (!r.slaOpenUntil || deadline > r.slaOpenUntil) r.slaOpenUntil = deadline;
        }
        if (verdict === 'within' || verdict === 'breached') r.timeToPrMsSum += timeToPr(sla)!;
      }
    }
    if (s.pr) {
      row(s, s.pr.openedAt).prsOpened++;
      const pr = { ...s.pr, interventions };
      const provenance = approvalProvenance(pr);
      if (provenance && s.pr.mergedAt) {
        const r = row(s, s.pr.mergedAt);
        r.prsMerged++;
        if (provenance === 'steered') r.mergedSteered++;
        if (provenance === 'reviewed') {
          r.mergedReviewed++;
          r.reviewLatencyMsSum += reviewLatencyMs(pr)!;
        }
        if (provenance === 'unreviewed') r.mergedUnreviewed++;
      }
    }
  }
  return [...rows.values()].sort((a, b) => cmp(a.developerId, b.developerId) || cmp(a.repositoryId, b.repositoryId) || cmp(a.day, b.day));
}

export interface ChannelDayRow {
  developerId: string;
  repositoryId: string;
  day: string;
  channel: string;
  invocations: number;
}

/**
 * ChannelDay rows: each invocation once, on the day it was received, under the developer and
 * repository of its first session (an invocation that dispatched a batch counts once).
 */
export function channelDays(sessions: readonly SessionFacts[], timeZone: string): ChannelDayRow[] {
  const first = new Map<string, SessionFacts>();
  for (const s of sessions) {
    const seen = first.get(s.invocationId);
    if (!seen || cmp(s.sessionId, seen.sessionId) < 0) first.set(s.invocationId, s);
  }
  const rows = new Map<string, ChannelDayRow>();
  for (const s of first.values()) {
    const day = dayOf(s.receivedAt, timeZone);
    const key = `${s.developerId}\u0000${s.repositoryId}\u0000${day}\u0000${s.channel}`;
    const r = rows.get(key) ?? { developerId: s.developerId, repositoryId: s.repositoryId, day, channel: s.channel, invocations: 0 };
    r.invocations++;
    rows.set(key, r);
  }
  return [...rows.values()].sort(
    (a, b) => cmp(a.developerId, b.developerId) || cmp(a.repositoryId, b.repositoryId) || cmp(a.day, b.day) || cmp(a.channel, b.channel),
  );
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
