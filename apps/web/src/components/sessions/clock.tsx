'use client';

import { useEffect, useState } from 'react';

/** The current time, re-read every `everyMs`: for clocks that tick. */
export function useNow(everyMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

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

interface SlaInput {
  /** When the window closes; null when no policy was in force. */
  deadline: Date | null;
  breachedAt: Date | null;
  /** When the window opened (the invocation's receipt, or the session's queueing). */
  openedAt: Date;
  /** When the PR was opened, or just whether there is one. */
  pullRequestAt: Date | null | boolean;
  endedAt: Date | null;
}

export type SlaState =
  | { kind: 'none' }
  | { kind: 'met'; label: string }
  | { kind: 'missed'; label: string }
  | { kind: 'breached'; label: string }
  | { kind: 'running'; label: string; isAtRisk: boolean };

// PRODUCT.md §3.6: the window runs from the invocation's receipt until a PR is opened.
// Amber once less than a fifth of the window is left, red once breached.
export function slaState(sla: SlaInput, now: number): SlaState {
  if (!sla.deadline) return { kind: 'none' };
  const deadline = sla.deadline.getTime();
  if (sla.pullRequestAt) {
    const at = sla.pullRequestAt instanceof Date ? sla.pullRequestAt.getTime() : null;
    if (at !== null && at > deadline) return { kind: 'breached', label: `PR ${formatDuration(at - deadline)} late` };
    if (sla.breachedAt) return { kind: 'breached', label: 'Breached' };
    return { kind: 'met', label: at !== null ? `Met, PR in ${formatDuration(at - sla.openedAt.getTime())}` : 'Met' };
  }
  if (sla.breachedAt || now > deadline) {
    const since = sla.breachedAt?.getTime() ?? deadline;
    return { kind: 'breached', label: sla.endedAt ? 'Breached' : `Breached ${formatDuration(now - since)} ago` };
  }
  if (sla.endedAt) return { kind: 'missed', label: 'Ended without a PR' };
  const left = deadline - now;
  const window = Math.max(1, deadline - sla.openedAt.getTime());
  return { kind: 'running', label: `${formatDuration(left)} left`, isAtRisk: left / window < 0.2 };
}

/** The SLA clock of one session: time left, amber when at risk, red once breached. */
export function SlaClock(props: SlaInput & { now: number; testId?: string }) {
  const state = slaState(props, props.now);
  if (state.kind === 'none') return <span className="faint">No SLA</span>;
  const tone =
    state.kind === 'breached'
      ? 'sla-breached'
      : state.kind === 'running' && state.isAtRisk
        ? 'sla-at-risk'
        : state.kind === 'met'
          ? 'sla-met'
          : 'sla-neutral';
  return (
    <span className={`sla ${tone}`} data-testid={props.testId} title={`SLA deadline ${props.deadline?.toLocaleString()}`}>
      {state.label}
    </span>
  );
}

/** How often live views poll. React Query stops the polling while the tab is hidden. */
export const LIVE_REFRESH_MS = 2_000;
