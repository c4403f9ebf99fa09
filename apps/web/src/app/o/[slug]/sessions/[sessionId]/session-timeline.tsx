'use client';

import type { Channel, InterventionKind, SessionStatus } from '@parallax/db';
import type { ReactNode } from 'react';
import { formatDuration, formatMinutes } from '~/components/sessions/clock.tsx';
import { statusLabel } from '~/components/sessions/status.tsx';
import type { SessionDetail } from './session-view.tsx';

type Tone = 'neutral' | 'accent' | 'success' | 'danger';

interface Described {
  title: ReactNode;
  detail?: ReactNode;
  tone: Tone;
}

export const CHANNELS: Record<Channel, string> = {
  WEB: 'the web',
  CLI: 'the CLI',
  SLACK: 'Slack',
  PAGERDUTY: 'PagerDuty',
  GITHUB: 'GitHub',
  API: 'the API',
  SCHEDULE: 'a schedule',
};

const INTERVENTIONS: Record<InterventionKind, string> = {
  MESSAGE: 'Correction sent',
  MANUAL_COMMIT: 'Manual commit',
  RESTART: 'Restarted',
  CANCEL_AND_RETRY: 'Cancelled and retried',
  ANSWER: 'Question answered',
};

/** The session's events in the words of the product, oldest first, with who did what. */
export function SessionTimeline(props: { session: SessionDetail; nameOf: (userId: string | null | undefined) => string }) {
  const { session, nameOf } = props;
  const start = session.events[0]?.at.getTime() ?? session.queuedAt.getTime();
  const messages = new Map(session.interventions.map((i) => [`intervention:${i.id}`, i]));
  // GitHub names people by login; the local forge by user id.
  const isGitHub = session.pullRequest?.forge === 'GITHUB';
  return (
    <section className="card" aria-label="Timeline">
      <div className="card-header">
        <div>
          <h2>Timeline</h2>
        </div>
      </div>
      {session.events.length === 0 ? (
        <p className="empty">No events yet.</p>
      ) : (
        <ol className="timeline">
          {session.events.map((event) => {
            const data = (event.data ?? {}) as Record<string, unknown>;
            const described = describe(event.type, data, {
              nameOf,
              forgeUser: (login) => (isGitHub ? (login ?? 'someone') : nameOf(login)),
              message: messages.get(event.dedupeKey)?.message ?? null,
            });
            return (
              <li key={event.id} className={`timeline-item timeline-${described.tone}`} data-event={event.type}>
                <span className="timeline-dot" aria-hidden />
                <div className="timeline-body">
                  <div className="timeline-title">{described.title}</div>
                  {described.detail ? <div className="timeline-detail">{described.detail}</div> : null}
                  <time dateTime={event.at.toISOString()} title={event.at.toLocaleString()}>
                    {event.at.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' })}
                    {event.at.getTime() > start ? <span className="faint"> · +{formatDuration(event.at.getTime() - start)}</span> : null}
                  </time>
                </div>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}

function describe(
  type: string,
  data: Record<string, unknown>,
  ctx: {
    nameOf: (userId: string | null | undefined) => string;
    forgeUser: (who: string | null) => string;
    message: string | null;
  },
): Described {
  const text = (key: string) => (typeof data[key] === 'string' ? (data[key] as string) : null);
  const num = (key: string) => (typeof data[key] === 'number' ? (data[key] as number) : null);
  switch (type) {
    case 'QUEUED': {
      const channel = text('channel') as Channel | null;
      const minutes = num('slaMinutes');
      return {
        title: `Dispatched from ${channel && channel in CHANNELS ? CHANNELS[channel] : 'a channel'}`,
        detail: minutes ? `SLA in force: a PR within ${formatMinutes(minutes)}` : 'No SLA in force',
        tone: 'neutral',
      };
    }
    case 'ADMITTED':
      return { title: 'Admitted: a slot was free', tone: 'neutral' };
    case 'WORKSPACE_READY': {
      const branch = text('branch');
      const base = text('baseCommit');
      return {
        title: 'Workspace ready',
        detail: branch ? (
          <>
            Branch <code>{branch}</code>
            {base ? (
              <>
                {' '}
                from <code>{base.slice(0, 10)}</code>
              </>
            ) : null}
          </>
        ) : undefined,
        tone: 'neutral',
      };
    }
    case 'STARTED':
      return { title: 'Agent started', tone: 'accent' };
    case 'AGENT_EXITED': {
      const ok = data.ok !== false;
      const code = num('exitCode');
      return {
        title: ok ? 'Agent finished' : `Agent failed${code !== null ? ` (exit code ${code})` : ''}`,
        detail: text('failure') ?? undefined,
        tone: ok ? 'neutral' : 'danger',
      };
    }
    case 'INTERVENTION': {
      const kind = text('kind') as InterventionKind | null;
      return {
        title: `${kind && kind in INTERVENTIONS ? INTERVENTIONS[kind] : 'Intervention'} by ${ctx.nameOf(text('actorUserId'))}`,
        detail: ctx.message ? <q className="timeline-quote">{ctx.message}</q> : undefined,
        tone: 'accent',
      };
    }
    case 'CHECKS_PASSED':
    case 'CHECKS_FAILED': {
      const command = text('command');
      const passed = type === 'CHECKS_PASSED';
      return {
        title: passed ? 'Checks passed' : 'Checks failed',
        detail: command ? <code>{command}</code> : 'No test command configured',
        tone: passed ? 'success' : 'danger',
      };
    }
    case 'PR_OPENED':
      return { title: `Pull request #${num('number') ?? '?'} opened`, tone: 'success' };
    case 'PR_MERGED':
      return { title: `Pull request merged by ${ctx.forgeUser(text('mergedBy'))}`, tone: 'success' };
    case 'PR_CLOSED':
      return { title: `Pull request closed${text('closedBy') ? ` by ${ctx.forgeUser(text('closedBy'))}` : ''}`, tone: 'neutral' };
    case 'SLA_BREACHED': {
      const minutes = num('slaMinutes');
      return { title: 'SLA breached', detail: minutes ? `No PR within ${formatMinutes(minutes)}` : undefined, tone: 'danger' };
    }
    case 'CANCEL_REQUESTED':
      return { title: `Cancel requested by ${ctx.nameOf(text('actorUserId'))}`, tone: 'neutral' };
    case 'ENDED': {
      const status = text('status') as SessionStatus | null;
      return {
        title: `Ended: ${status ? statusLabel(status).toLowerCase() : 'done'}`,
        detail: text('failureReason') ?? undefined,
        tone: status === 'SUCCEEDED' ? 'success' : status === 'FAILED' || status === 'TIMED_OUT' ? 'danger' : 'neutral',
      };
    }
    case 'CLEANED_UP':
      return { title: 'Workspace cleaned up', detail: 'Worktree, ports and schema released', tone: 'neutral' };
    default:
      return { title: type.toLowerCase().replace(/_/g, ' '), tone: 'neutral' };
  }
}
