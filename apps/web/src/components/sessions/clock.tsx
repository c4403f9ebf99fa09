'use client';

import { slaDeadline } from '@parallax/metrics';
import { useEffect, useState } from 'react';
import { type SlaInput, slaState } from './sla-state.ts';

export { formatDuration, formatMinutes, type SlaInput, type SlaState, slaState } from './sla-state.ts';

/** The current time, re-read every `everyMs`: for clocks that tick. */
export function useNow(everyMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
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
    <span
      className={`sla ${tone}`}
      data-testid={props.testId}
      title={
        props.slaMinutes === null ? undefined : `SLA deadline ${slaDeadline({ ...props, slaMinutes: props.slaMinutes }).toLocaleString()}`
      }
    >
      {state.label}
    </span>
  );
}

/** How often live views poll. React Query stops the polling while the tab is hidden. */
export const LIVE_REFRESH_MS = 2_000;
