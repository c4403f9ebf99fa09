'use client';

import Link from 'next/link';
import { useOrg } from '~/components/org-context.tsx';
import { formatDuration, SlaClock } from '~/components/sessions/clock.tsx';
import { PullRequestLink } from '~/components/sessions/pull-request-link.tsx';
import { StatusBadge, TASK_TYPES } from '~/components/sessions/status.tsx';
import type { ListedSession } from './fleet-board.tsx';

/** One live session on the Fleet page: what it is doing, for how long, its SLA clock and latest output. */
export function LiveSessionRow(props: { session: ListedSession; now: number; tail: string[] | undefined }) {
  const { session: s, now, tail } = props;
  const { slug } = useOrg();
  const href = `/o/${slug}/sessions/${s.id}`;
  const isQueued = s.status === 'QUEUED';
  return (
    <li className="session-row" data-testid={`session-${s.id}`}>
      <div className="session-row-head">
        <div className="session-row-title">
          <StatusBadge status={s.status} />
          <Link href={href} className="session-title">
            {s.title}
          </Link>
        </div>
        <div className="session-row-facts">
          {s.pullRequest ? <PullRequestLink pullRequest={s.pullRequest} sessionHref={href} /> : null}
          <span className="fact">
            <span className="faint">{s.startedAt ? 'Running' : 'Waiting'}</span>{' '}
            <span className="mono">{formatDuration(now - (s.startedAt ?? s.queuedAt).getTime())}</span>
          </span>
          <span className="fact">
            <span className="faint">SLA</span>{' '}
            <SlaClock
              receivedAt={s.receivedAt}
              slaMinutes={s.slaMinutes}
              prOpenedAt={s.pullRequest?.openedAt ?? null}
              taskType={s.taskType}
              withdrawnByRequester={s.withdrawnByRequester}
              endedAt={s.endedAt}
              now={now}
            />
          </span>
        </div>
      </div>
      <div className="session-row-meta">
        <span>{TASK_TYPES[s.taskType].label} task</span>
        {isQueued ? (
          <span className="queue-position">{s.queuePosition ? `#${s.queuePosition} in the queue` : 'Waiting for a free slot'}</span>
        ) : null}
      </div>
      {isQueued ? null : tail?.length ? (
        <pre className="log-tail" title="Latest output">
          {tail.join('\n')}
        </pre>
      ) : (
        <p className="log-tail log-tail-empty">No output yet.</p>
      )}
    </li>
  );
}
