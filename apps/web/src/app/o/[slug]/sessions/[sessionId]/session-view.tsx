'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { FormMessage } from '~/components/form.tsx';
import { formatDateTime, formatRelative } from '~/components/format.ts';
import { useCan, useOrg } from '~/components/org-context.tsx';
import { formatDuration, formatMinutes, LIVE_REFRESH_MS, SlaClock, useNow } from '~/components/sessions/clock.tsx';
import { PullRequestLink } from '~/components/sessions/pull-request-link.tsx';
import { ADAPTERS, hasEnded, StatusBadge, TASK_TYPES } from '~/components/sessions/status.tsx';
import { type RouterOutputs, useTRPC } from '~/trpc/react.tsx';
import { PullRequestCard } from './pull-request-card.tsx';
import { SessionControls } from './session-controls.tsx';
import { SessionLog } from './session-log.tsx';
import { CHANNELS, SessionTimeline } from './session-timeline.tsx';

export type SessionDetail = RouterOutputs['session']['get'];

const PR_FOLLOW_MS = 10_000;

/** Ended, but its workspace not yet released: a few seconds more (a session cancelled in the queue never had one). */
function awaitsCleanup(s: SessionDetail): boolean {
  if (s.cancelledWhileQueued || s.events.some((e) => e.type === 'CLEANED_UP')) return false;
  return s.endedAt !== null && Date.now() - s.endedAt.getTime() < CLEANUP_WAIT_MS;
}

const CLEANUP_WAIT_MS = 5 * 60_000;

export function SessionView(props: { sessionId: string }) {
  const { orgId, slug, userId } = useOrg();
  const trpc = useTRPC();
  const canDispatch = useCan('sessions:dispatch');
  const ref = { orgId, sessionId: props.sessionId };
  const session = useQuery({
    ...trpc.session.get.queryOptions(ref),
    // Live while it runs and until its workspace is cleaned up (that comes after the end);
    // after that only while its PR may still be merged or closed.
    refetchInterval: (query) => {
      const s = query.state.data;
      if (!s || !hasEnded(s.status) || awaitsCleanup(s)) return LIVE_REFRESH_MS;
      return s.pullRequest?.state === 'OPEN' ? PR_FOLLOW_MS : false;
    },
  });
  const members = useQuery(trpc.member.list.queryOptions({ orgId }));
  const isQueued = session.data?.status === 'QUEUED';
  // session.get does not carry the queue position; the live list does.
  const queuePosition = useQuery({
    ...trpc.session.list.queryOptions({ orgId, live: true, limit: 500 }),
    enabled: isQueued,
    refetchInterval: LIVE_REFRESH_MS,
    select: (rows) => rows.find((r) => r.id === props.sessionId)?.queuePosition ?? null,
  });
  const now = useNow();

  if (session.error) {
    return (
      <div className="page">
        <div className="page-header">
          <div>
            <h1>Session</h1>
          </div>
        </div>
        <FormMessage
          message={
            session.error.data?.code === 'NOT_FOUND' ? 'This session does not exist, or it is not one you can see.' : session.error.message
          }
        />
        <p>
          <Link href={`/o/${slug}/fleet`}>Back to the fleet</Link>
        </p>
      </div>
    );
  }
  if (!session.data) return <p className="muted">Loading…</p>;

  const s = session.data;
  const nameOf = (id: string | null | undefined) => {
    if (!id) return 'someone';
    if (id === userId) return 'you';
    const member = members.data?.find((m) => m.userId === id);
    return member ? (member.name ?? member.email) : members.data ? 'a former member' : '…';
  };
  const isOver = hasEnded(s.status);
  const developer = nameOf(s.developerId);
  const href = `/o/${slug}/sessions/${s.id}`;

  return (
    <div className="page page-wide">
      <div className="page-header">
        <div>
          <nav className="breadcrumb" aria-label="Breadcrumb">
            <Link href={`/o/${slug}/fleet`}>Fleet</Link> / Session
          </nav>
          <div className="session-heading">
            <h1>{s.task.title}</h1>
            <StatusBadge status={s.status} testId="session-status" />
          </div>
          <p className="muted">
            {TASK_TYPES[s.task.taskType].label} task · dispatched by {developer} from {CHANNELS[s.invocation.channel]}{' '}
            <span title={formatDateTime(s.invocation.receivedAt)}>{formatRelative(s.invocation.receivedAt, new Date(now))}</span>
          </p>
        </div>
        {canDispatch ? (
          <Link href={`/o/${slug}/dispatch?from=${s.id}`} className="button" data-testid="dispatch-again">
            {isOver && s.status !== 'SUCCEEDED' ? 'Retry' : 'Dispatch again'}
          </Link>
        ) : null}
      </div>

      <dl className="fact-strip" aria-label="Session facts">
        <div>
          <dt>Developer</dt>
          <dd>{developer === 'you' ? 'You' : developer}</dd>
        </div>
        <div>
          <dt>Repository</dt>
          <dd title={s.branch ? `Branch ${s.branch}` : undefined}>{s.repository.name}</dd>
        </div>
        <div>
          <dt>Agent</dt>
          <dd
            title={
              s.sandboxMode === 'bubblewrap' ? 'Ran in its sandbox: its worktree, the hosts its profile allows, nothing else' : undefined
            }
          >
            {s.agentProfile ? agentLabel(s.agentProfile) : '—'}
            {s.sandboxMode === 'bubblewrap' ? ' · sandboxed' : s.sandboxMode === 'unsandboxed' ? ' · unsandboxed' : ''}
          </dd>
        </div>
        <div>
          <dt>{s.slaMinutes ? `SLA · ${formatMinutes(s.slaMinutes)}` : 'SLA'}</dt>
          <dd>
            <SlaClock
              receivedAt={s.invocation.receivedAt}
              slaMinutes={s.slaMinutes}
              prOpenedAt={s.pullRequest?.openedAt ?? null}
              taskType={s.task.taskType}
              withdrawnByRequester={s.withdrawnByRequester}
              endedAt={s.endedAt}
              now={now}
              testId="session-sla"
            />
          </dd>
        </div>
        <div>
          <dt>{isQueued ? 'Queue' : isOver ? 'Took' : s.startedAt ? 'Running for' : 'Preparing for'}</dt>
          <dd className={isQueued ? undefined : 'mono'}>
            {isQueued
              ? queuePosition.data
                ? `#${queuePosition.data} in the queue`
                : 'Waiting for a slot'
              : formatDuration((s.endedAt?.getTime() ?? now) - (s.startedAt ?? s.queuedAt).getTime())}
          </dd>
        </div>
        {s.agentCostUsd !== null ? (
          <div>
            <dt title="What the agent reported this session cost (METRICS.md: Agent cost)">Agent cost</dt>
            <dd className="mono" data-testid="session-cost">
              ${s.agentCostUsd.toFixed(s.agentCostUsd < 1 ? 4 : 2)}
            </dd>
          </div>
        ) : null}
        {s.retryOfId || s.retriedAs ? (
          <div>
            <dt title="A retry is counted as an intervention when the first try's agent had run (METRICS.md: Intervention)">Tries</dt>
            <dd data-testid="session-tries">
              {s.retryOfId ? <Link href={`/o/${slug}/sessions/${s.retryOfId}`}>← Earlier try</Link> : null}
              {s.retryOfId && s.retriedAs ? ' · ' : null}
              {s.retriedAs ? <Link href={`/o/${slug}/sessions/${s.retriedAs.id}`}>Its retry →</Link> : null}
            </dd>
          </div>
        ) : null}
        {s.pullRequest ? (
          <div>
            <dt>Pull request</dt>
            <dd>
              <PullRequestLink pullRequest={s.pullRequest} sessionHref={href} />
            </dd>
          </div>
        ) : null}
      </dl>

      {s.sandboxMode === 'unsandboxed' ? (
        <p className="notice notice-error" data-testid="unsandboxed">
          <strong>Ran without a sandbox.</strong> This worker runs agents with its own files and network (PARALLAX_SANDBOX=off): meant for
          single-tenant self-hosting only.
        </p>
      ) : null}

      {s.status === 'FAILED' || s.status === 'TIMED_OUT' ? (
        <p className="notice notice-error" data-testid="failure-reason">
          <strong>{s.status === 'FAILED' ? 'Failed' : 'Timed out'}:</strong> {s.failureReason ?? 'no reason was recorded.'}
        </p>
      ) : s.status === 'CANCELLED' ? (
        <p className="notice">
          Cancelled{s.cancelledById ? ` by ${nameOf(s.cancelledById)}` : ''}
          {s.cancelledWhileQueued ? ' while it was still queued' : ''}.
        </p>
      ) : null}

      <div className="session-layout">
        <div className="session-main">
          {s.pullRequest ? <PullRequestCard sessionId={s.id} pullRequest={s.pullRequest} nameOf={nameOf} /> : null}
          <SessionLog orgId={orgId} sessionId={s.id} isLive={!isOver} isQueued={isQueued} />
          <details className="card prompt-card">
            <summary>Prompt</summary>
            <pre>{s.task.prompt}</pre>
          </details>
        </div>
        <div className="session-side">
          <SessionControls session={s} />
          <SessionTimeline session={s} nameOf={nameOf} />
        </div>
      </div>
    </div>
  );
}

/** "script", or "reviewer (Claude Code)" when the profile's name does not say its adapter. */
function agentLabel(profile: { name: string; adapter: keyof typeof ADAPTERS }): string {
  const adapter = ADAPTERS[profile.adapter].label;
  return profile.name.toLowerCase() === adapter.toLowerCase() ? profile.name : `${profile.name} (${adapter})`;
}
