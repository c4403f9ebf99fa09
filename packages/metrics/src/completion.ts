// METRICS.md "Completion without intervention" (criterion 4) and "Channels" (criterion 2).

export type SessionStatus = 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED' | 'TIMED_OUT' | (string & {});

export interface SessionOutcome {
  status: SessionStatus;
  cancelledWhileQueued: boolean;
  /** Interventions recorded on the session while it ran. */
  interventions: number;
}

const TERMINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED', 'TIMED_OUT']);

/** Finished: terminal, and not withdrawn while it was still queued. */
export const isFinished = (s: Pick<SessionOutcome, 'status' | 'cancelledWhileQueued'>) => TERMINAL.has(s.status) && !s.cancelledWhileQueued;

export interface CompletionRate {
  finished: number;
  /** SUCCEEDED with zero interventions. */
  unassisted: number;
  /** unassisted / finished; null when nothing finished. */
  rate: number | null;
  /** Criterion 4: the rate exceeds 60%. */
  meets: boolean;
}

export const COMPLETION_TARGET = 0.6;

export function completionWithoutIntervention(sessions: readonly SessionOutcome[]): CompletionRate {
  const finished = sessions.filter(isFinished);
  const unassisted = finished.filter((s) => s.status === 'SUCCEEDED' && s.interventions === 0).length;
  const rate = finished.length > 0 ? unassisted / finished.length : null;
  return { finished: finished.length, unassisted, rate, meets: rate !== null && rate > COMPLETION_TARGET };
}

export interface ChannelsUsed {
  channels: string[];
  /** Criterion 2: at least two distinct channels. */
  meets: boolean;
}

/** Distinct channels with at least one invocation. */
export function channelsUsed(invocations: readonly { channel: string }[]): ChannelsUsed {
  const channels = [...new Set(invocations.map((i) => i.channel))].sort();
  return { channels, meets: channels.length >= 2 };
}
