'use client';

import Link from 'next/link';
import { FormMessage } from '~/components/form.tsx';
import { formatRelative } from '~/components/format.ts';
import { useOrg } from '~/components/org-context.tsx';
import { formatDuration } from '~/components/sessions/clock.tsx';
import { PullRequestLink } from '~/components/sessions/pull-request-link.tsx';
import { StatusBadge } from '~/components/sessions/status.tsx';
import type { ListedSession } from './fleet-board.tsx';

export function RecentSessions(props: { sessions: ListedSession[]; isLoading: boolean; error?: string; seesEveryone: boolean }) {
  const { slug } = useOrg();
  return (
    <section className="card" aria-label="Recently finished">
      <div className="card-header">
        <div>
          <h2>Recently finished</h2>
          <p className="muted">The last sessions that ended, with their outcome and pull request.</p>
        </div>
      </div>
      <FormMessage message={props.error} />
      {props.isLoading ? (
        <p className="empty">Loading…</p>
      ) : props.sessions.length === 0 ? (
        props.error ? null : (
          <p className="empty">No session has finished yet.</p>
        )
      ) : (
        <div className="table-scroll">
          <table className="table">
            <thead>
              <tr>
                <th>Task</th>
                {props.seesEveryone ? <th>Developer</th> : null}
                <th>Outcome</th>
                <th>Took</th>
                <th>Ended</th>
                <th>Pull request</th>
              </tr>
            </thead>
            <tbody>
              {props.sessions.map((s) => {
                const href = `/o/${slug}/sessions/${s.id}`;
                return (
                  <tr key={s.id} data-testid={`finished-${s.id}`}>
                    <td>
                      <Link href={href}>{s.title}</Link>
                    </td>
                    {props.seesEveryone ? <td>{s.developerName}</td> : null}
                    <td>
                      <StatusBadge status={s.status} />
                    </td>
                    <td className="mono nowrap">{s.endedAt ? formatDuration(s.endedAt.getTime() - s.queuedAt.getTime()) : '—'}</td>
                    <td className="nowrap">{s.endedAt ? formatRelative(s.endedAt) : '—'}</td>
                    <td>
                      {s.pullRequest ? (
                        <PullRequestLink pullRequest={s.pullRequest} sessionHref={href} />
                      ) : (
                        <span className="faint">None</span>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
