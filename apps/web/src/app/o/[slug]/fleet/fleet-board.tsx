'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { FormMessage } from '~/components/form.tsx';
import { useCan, useOrg } from '~/components/org-context.tsx';
import { LIVE_REFRESH_MS, slaState, useNow } from '~/components/sessions/clock.tsx';
import { hasEnded } from '~/components/sessions/status.tsx';
import { initials } from '~/components/shell/menu.tsx';
import { type RouterOutputs, useTRPC } from '~/trpc/react.tsx';
import { LiveSessionRow } from './live-session-row.tsx';
import { RecentSessions } from './recent-sessions.tsx';
import { useLogTails } from './use-log-tails.ts';

export type ListedSession = RouterOutputs['session']['list'][number];

interface DeveloperGroup {
  developerId: string;
  name: string;
  sessions: ListedSession[];
  holdingSlots: number;
  queued: number;
}

export function FleetBoard() {
  const { orgId, slug, name: orgName, userId } = useOrg();
  const trpc = useTRPC();
  const canDispatch = useCan('sessions:dispatch');
  const seesEveryone = useCan('sessions:read-all');
  const now = useNow();
  const poll = { refetchInterval: LIVE_REFRESH_MS, refetchIntervalInBackground: false } as const;
  const live = useQuery({ ...trpc.session.list.queryOptions({ orgId, live: true, limit: 500 }), ...poll });
  const recent = useQuery({ ...trpc.session.list.queryOptions({ orgId, limit: 30 }), ...poll });
  const org = useQuery(trpc.org.get.queryOptions({ orgId }));
  const sessions = live.data ?? [];
  const tails = useLogTails(
    orgId,
    sessions.filter((s) => s.status !== 'QUEUED').map((s) => s.id),
    LIVE_REFRESH_MS,
  );
  const groups = groupByDeveloper(sessions, userId);
  const finished = (recent.data ?? []).filter((s) => hasEnded(s.status)).slice(0, 10);
  const states = sessions.map((s) =>
    slaState(
      {
        receivedAt: s.receivedAt,
        slaMinutes: s.slaMinutes,
        prOpenedAt: s.pullRequest?.openedAt ?? null,
        taskType: s.taskType,
        withdrawnByRequester: s.withdrawnByRequester,
        endedAt: s.endedAt,
      },
      now,
    ),
  );

  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h1>Fleet</h1>
          <p className="muted">
            {seesEveryone ? `Every live agent session in ${orgName}, by developer.` : 'Your live agent sessions.'} Updates as they run.
          </p>
        </div>
        {canDispatch ? (
          <Link href={`/o/${slug}/dispatch`} className="button button-primary">
            Dispatch
          </Link>
        ) : null}
      </div>

      {live.error ? <FormMessage message={live.error.message} /> : null}
      {!live.data ? (
        live.error ? null : (
          <p className="muted">Loading…</p>
        )
      ) : groups.length === 0 ? (
        <section className="card empty-state">
          <h2>No agent sessions are running</h2>
          <p className="muted">
            {canDispatch
              ? 'Dispatch a task to an agent and follow it here while it works: status, SLA clock and its latest output.'
              : 'Sessions appear here while agents work.'}
          </p>
          {canDispatch ? (
            <Link href={`/o/${slug}/dispatch`} className="button button-primary">
              Dispatch a task
            </Link>
          ) : null}
        </section>
      ) : (
        <>
          <section className="stats" aria-label="Fleet summary">
            <Stat label="Running" value={sessions.filter((s) => s.status !== 'QUEUED').length} />
            <Stat label="Queued" value={sessions.filter((s) => s.status === 'QUEUED').length} />
            <Stat label="SLA at risk" value={states.filter((s) => s.kind === 'running' && s.isAtRisk).length} tone="sla-at-risk" />
            <Stat label="SLA breached" value={states.filter((s) => s.kind === 'breached').length} tone="sla-breached" />
          </section>
          {groups.map((group) => (
            <DeveloperSessions
              key={group.developerId}
              group={group}
              isViewer={group.developerId === userId}
              cap={org.data?.developerConcurrencyCap ?? null}
              now={now}
              tails={tails}
            />
          ))}
        </>
      )}

      <RecentSessions
        sessions={finished}
        isLoading={!recent.data && !recent.error}
        error={recent.error?.message}
        seesEveryone={seesEveryone}
      />
    </div>
  );
}

/** One developer's live sessions: slots in use against their cap, then each session. */
function DeveloperSessions(props: {
  group: DeveloperGroup;
  isViewer: boolean;
  cap: number | null;
  now: number;
  tails: Map<string, string[]>;
}) {
  const { group } = props;
  return (
    <section className="card" aria-label={`Sessions of ${group.name}`} data-testid={`developer-${group.developerId}`}>
      <div className="card-header">
        <div className="person">
          <span className="avatar" aria-hidden>
            {initials(group.name)}
          </span>
          <div>
            <strong>
              {group.name}
              {props.isViewer ? <span className="faint"> (you)</span> : null}
            </strong>
            <span>
              {group.holdingSlots} of {props.cap ?? '…'} slots in use
              {group.queued ? ` · ${group.queued} queued` : ''}
            </span>
          </div>
        </div>
        <SlotMeter used={group.holdingSlots} cap={props.cap} />
      </div>
      <ul className="session-list">
        {group.sessions.map((s) => (
          <LiveSessionRow key={s.id} session={s} now={props.now} tail={props.tails.get(s.id)} />
        ))}
      </ul>
    </section>
  );
}

function Stat(props: { label: string; value: number; tone?: string }) {
  return (
    <div className="stat">
      <span className="stat-label">{props.label}</span>
      <span className={`stat-value ${props.value > 0 && props.tone ? props.tone : ''}`}>{props.value}</span>
    </div>
  );
}

/** One pip per slot of the developer's cap; sessions over the cap wait in the queue. */
function SlotMeter(props: { used: number; cap: number | null }) {
  if (props.cap === null || props.cap > 12) return null;
  return (
    <span className="slot-meter" role="img" aria-label={`${props.used} of ${props.cap} slots in use`}>
      {Array.from({ length: props.cap }, (_, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the pips are positions, nothing else
        <span key={i} className={i < props.used ? 'slot slot-used' : 'slot'} />
      ))}
    </span>
  );
}

function groupByDeveloper(sessions: ListedSession[], viewerId: string): DeveloperGroup[] {
  const groups = new Map<string, DeveloperGroup>();
  for (const s of sessions) {
    const group = groups.get(s.developerId) ?? {
      developerId: s.developerId,
      name: s.developerName,
      sessions: [],
      holdingSlots: 0,
      queued: 0,
    };
    group.sessions.push(s);
    if (s.status === 'QUEUED') group.queued += 1;
    else group.holdingSlots += 1;
    groups.set(s.developerId, group);
  }
  for (const group of groups.values()) {
    // Working sessions first, oldest first; then the queue in its order.
    group.sessions.sort((a, b) => {
      const aq = a.status === 'QUEUED';
      const bq = b.status === 'QUEUED';
      if (aq !== bq) return aq ? 1 : -1;
      if (aq) return (a.queuePosition ?? Number.MAX_SAFE_INTEGER) - (b.queuePosition ?? Number.MAX_SAFE_INTEGER);
      return (a.startedAt ?? a.queuedAt).getTime() - (b.startedAt ?? b.queuedAt).getTime();
    });
  }
  // The viewer's own sessions first, then by name.
  return [...groups.values()].sort((a, b) =>
    a.developerId === viewerId ? -1 : b.developerId === viewerId ? 1 : a.name.localeCompare(b.name),
  );
}
