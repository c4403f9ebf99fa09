// METRICS.md "PR within SLA" (criterion 5): time to PR runs from the invocation's receipt,
// wall clock, queueing included; an invocation counts once its PR opened or its window closed.

export interface InvocationSla {
  receivedAt: Date;
  /** The policy in force at dispatch. */
  slaMinutes: number;
  /** The PR of its session, if one opened. */
  prOpenedAt: Date | null;
  /** Investigation tasks deliver a report, not a PR. */
  shouldProducePr: boolean;
  /** Cancelled while still queued by the person who asked: left out (by anyone else, it is owed a PR). */
  withdrawnByRequester: boolean;
}

export type SlaVerdict = 'within' | 'breached' | 'missed' | 'open' | 'excluded';

/** Time to PR in ms, or null without a PR. */
export const timeToPr = (i: Pick<InvocationSla, 'receivedAt' | 'prOpenedAt'>) =>
  i.prOpenedAt ? i.prOpenedAt.getTime() - i.receivedAt.getTime() : null;

export const slaDeadline = (i: Pick<InvocationSla, 'receivedAt' | 'slaMinutes'>) =>
  new Date(i.receivedAt.getTime() + i.slaMinutes * 60_000);

/**
 * within: a PR opened in time; breached: opened late; missed: no PR and the window has
 * closed; open: no PR yet, window still open (not counted); excluded: not owed a PR.
 */
export function slaVerdict(i: InvocationSla, now: Date): SlaVerdict {
  if (!i.shouldProducePr || i.withdrawnByRequester) return 'excluded';
  const taken = timeToPr(i);
  if (taken !== null) return taken <= i.slaMinutes * 60_000 ? 'within' : 'breached';
  return now.getTime() >= slaDeadline(i).getTime() ? 'missed' : 'open';
}

export interface SlaRate {
  within: number;
  /** within + breached + missed: invocations owed a PR whose outcome is known. */
  counted: number;
  open: number;
  rate: number | null;
  meets: boolean;
}

export const SLA_TARGET = 0.9;

export function prWithinSla(invocations: readonly InvocationSla[], now: Date, target = SLA_TARGET): SlaRate {
  const verdicts = invocations.map((i) => slaVerdict(i, now));
  const within = verdicts.filter((v) => v === 'within').length;
  const counted = verdicts.filter((v) => v === 'within' || v === 'breached' || v === 'missed').length;
  const rate = counted > 0 ? within / counted : null;
  return { within, counted, open: verdicts.filter((v) => v === 'open').length, rate, meets: rate !== null && rate >= target };
}
