// What a session's SLA clock says, without React: the verdict is @parallax/metrics' own.
import { slaDeadline, slaVerdict, timeToPr } from '@parallax/metrics';

/** "42s", "4m 05s", "1h 03m", "2d 4h". */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${String(seconds % 60).padStart(2, '0')}s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours}h ${String(minutes % 60).padStart(2, '0')}m`;
  return `${Math.floor(hours / 24)}d ${hours % 24}h`;
}

/** "30 min", "2 h", "1 h 30 min", "2 days". */
export function formatMinutes(minutes: number): string {
  if (minutes < 60) return `${minutes} min`;
  if (minutes % (24 * 60) === 0) return `${minutes / (24 * 60)} ${minutes === 24 * 60 ? 'day' : 'days'}`;
  const rest = minutes % 60;
  return rest ? `${Math.floor(minutes / 60)} h ${rest} min` : `${minutes / 60} h`;
}

export interface SlaInput {
  /** The invocation's receipt: where the window opens (METRICS.md "PR within SLA"). */
  receivedAt: Date;
  /** The policy in force at dispatch; null when none was. */
  slaMinutes: number | null;
  prOpenedAt: Date | null;
  taskType: 'STANDARD' | 'COMPLEX' | 'INVESTIGATION';
  /** Cancelled while queued by the person who asked (METRICS.md: left out). */
  withdrawnByRequester: boolean;
  endedAt: Date | null;
}

export type SlaState =
  | { kind: 'none' }
  | { kind: 'excluded'; label: string }
  | { kind: 'met'; label: string }
  | { kind: 'pending'; label: string }
  | { kind: 'breached'; label: string }
  | { kind: 'running'; label: string; isAtRisk: boolean };

// The verdict is @parallax/metrics' slaVerdict, the one the evidence counts; the clock adds only
// what a live view needs: time left, amber once less than a fifth of the window is left.
export function slaState(sla: SlaInput, now: number): SlaState {
  if (sla.slaMinutes === null) return { kind: 'none' };
  const facts = {
    receivedAt: sla.receivedAt,
    slaMinutes: sla.slaMinutes,
    prOpenedAt: sla.prOpenedAt,
    shouldProducePr: sla.taskType !== 'INVESTIGATION',
    withdrawnByRequester: sla.withdrawnByRequester,
  };
  const deadline = slaDeadline(facts).getTime();
  switch (slaVerdict(facts, new Date(now))) {
    case 'excluded':
      return { kind: 'excluded', label: facts.shouldProducePr ? 'Withdrawn while queued: not counted' : 'Investigation: no PR owed' };
    case 'within':
      return { kind: 'met', label: `Met, PR in ${formatDuration(timeToPr(facts)!)}` };
    case 'breached':
      return { kind: 'breached', label: `PR ${formatDuration(timeToPr(facts)! - sla.slaMinutes * 60_000)} late` };
    case 'missed':
      return { kind: 'breached', label: sla.endedAt ? 'Missed: no PR' : `Breached ${formatDuration(now - deadline)} ago` };
    case 'open': {
      const left = deadline - now;
      // Ended without a PR: a miss once the window closes, not before (still-open windows are not counted).
      if (sla.endedAt) return { kind: 'pending', label: `No PR; a miss in ${formatDuration(left)}` };
      const window = Math.max(1, deadline - sla.receivedAt.getTime());
      return { kind: 'running', label: `${formatDuration(left)} left`, isAtRisk: left / window < 0.2 };
    }
  }
}
