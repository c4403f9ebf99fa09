'use client';

import { MetricNote } from '~/components/evidence/metric-note.tsx';
import type { RouterOutputs } from '~/trpc/react.tsx';
import styles from './parallel.module.css';

type Live = RouterOutputs['parallel']['live'];

/** Each developer's running sessions now against the developer cap, refreshed as they change. */
export function LiveStrip(props: { data: Live | undefined }) {
  const live = props.data;
  return (
    <section className="card" aria-label="Running now">
      <div className="card-header">
        <h2>
          Running now <MetricNote term="Concurrency of a developer at time t" />
        </h2>
        {live ? (
          <span className="muted" data-testid="live-summary">
            {live.runningTotal} running across {live.developersRunning} {live.developersRunning === 1 ? 'developer' : 'developers'} ·{' '}
            {live.queueLength} queued in the org · cap {live.developerCap} per developer
          </span>
        ) : null}
      </div>
      <div className="card-body">
        {!live ? (
          <p className="muted">Loading…</p>
        ) : live.developers.length === 0 ? (
          <p className="muted">
            {live.runningTotal > 0
              ? 'Sessions are running; this group is too small to show who runs them.'
              : 'No agent is running in this scope right now. Dispatch from Dispatch to start one.'}
          </p>
        ) : (
          <ul className={styles.live}>
            {live.developers.map((d) => (
              <li key={d.person.key} className={styles.liveItem}>
                <span>{d.person.name ?? 'A developer'}</span>
                <span className="slot-meter" role="img" aria-label={`${d.running} of ${live.developerCap} sessions`}>
                  {Array.from({ length: Math.max(live.developerCap, d.running) }, (_, i) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: the slots are positions, not items
                    <span key={i} className={i < d.running ? 'slot slot-used' : 'slot'} />
                  ))}
                </span>
                <span className="muted">
                  {d.running}/{live.developerCap}
                </span>
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}
