'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { FormMessage, readFormErrors } from '~/components/form.tsx';
import { formatDateTime, formatRelative } from '~/components/format.ts';
import { useCan, useOrg } from '~/components/org-context.tsx';
import { type RouterOutputs, useTRPC } from '~/trpc/react.tsx';
import { ScheduleForm } from './schedule-form.tsx';

type Schedule = RouterOutputs['schedule']['list'][number];

export function SchedulesSettings() {
  const { orgId, slug } = useOrg();
  const trpc = useTRPC();
  const canConfigure = useCan('fleet:configure');
  // Next runs move on by themselves: look again every minute.
  const schedules = useQuery({ ...trpc.schedule.list.queryOptions({ orgId }), refetchInterval: 60_000 });
  const repositories = useQuery(trpc.repository.list.queryOptions({ orgId }));
  const profiles = useQuery(trpc.agentProfile.list.queryOptions({ orgId }));
  const members = useQuery(trpc.member.list.queryOptions({ orgId }));
  const repoName = (id: string) => repositories.data?.find((r) => r.id === id)?.name ?? 'a removed repository';
  const memberName = (id: string) => {
    const m = members.data?.find((x) => x.userId === id);
    return m ? (m.name ?? m.email) : 'a former member';
  };
  const formReady = repositories.data && profiles.data && members.data;

  return (
    <>
      {!canConfigure ? (
        <p className="notice">Owners and admins add, pause and delete schedules. You can see what runs and when.</p>
      ) : !formReady ? null : repositories.data.length === 0 ? (
        <p className="notice">
          A schedule dispatches a task on a repository, and there is none yet. Add one in{' '}
          <Link href={`/o/${slug}/settings/repositories`}>Repositories</Link> first.
        </p>
      ) : (
        <ScheduleForm repositories={repositories.data} profiles={profiles.data} members={members.data} />
      )}
      <section className="card" aria-label="Schedules">
        <div className="card-header">
          <div>
            <h2>Schedules</h2>
            <p className="muted">
              Recurring tasks that run unattended: each run dispatches one agent session through the Schedule channel, on Temporal
              Schedules.
            </p>
          </div>
        </div>
        <FormMessage message={schedules.error?.message} />
        {!schedules.data ? (
          schedules.error ? null : (
            <p className="empty">Loading…</p>
          )
        ) : schedules.data.length === 0 ? (
          <p className="empty">No schedule yet{canConfigure ? ': add the first one above.' : '.'}</p>
        ) : (
          <div className="table-scroll">
            <table className="table">
              <thead>
                <tr>
                  <th>Name</th>
                  <th>When</th>
                  <th>Task</th>
                  <th>Next run</th>
                  <th>Last run</th>
                  {canConfigure ? (
                    <th className="actions">
                      <span className="sr-only">Actions</span>
                    </th>
                  ) : null}
                </tr>
              </thead>
              <tbody>
                {schedules.data.map((s) => (
                  <tr key={s.id} data-testid={`schedule-${s.name}`}>
                    <td>
                      <div className="person">
                        <div>
                          <strong>{s.name}</strong>
                          <span>Runs for {memberName(s.taskTemplate.developerId)}</span>
                        </div>
                      </div>
                    </td>
                    <td>
                      <code>{s.cron}</code>
                      {s.timeZone ? <div className="faint">{s.timeZone}</div> : null}
                    </td>
                    <td className="cell-clip">
                      <span title={s.taskTemplate.prompt}>{s.taskTemplate.title}</span>
                      <div className="faint">{repoName(s.taskTemplate.repositoryId)}</div>
                    </td>
                    <td>
                      <NextRun schedule={s} />
                    </td>
                    <td>{s.lastRunAt ? formatRelative(s.lastRunAt) : <span className="faint">Not yet</span>}</td>
                    {canConfigure ? (
                      <td className="actions">
                        <ScheduleActions schedule={s} />
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}

function NextRun(props: { schedule: Schedule }) {
  const s = props.schedule;
  if (s.paused) return <span className="badge badge-warning">Paused</span>;
  if (s.temporal === 'UNREACHABLE') return <span className="badge badge-danger">Temporal unreachable</span>;
  if (s.temporal === 'MISSING') return <span className="badge badge-danger">Missing in Temporal: resume or delete it</span>;
  if (!s.nextRunAt) return <span className="faint">None</span>;
  return (
    <span title={formatDateTime(s.nextRunAt)}>
      {formatDateTime(s.nextRunAt)}
      <div className="faint">{formatRelative(s.nextRunAt)}</div>
    </span>
  );
}

function ScheduleActions(props: { schedule: Schedule }) {
  const s = props.schedule;
  const { orgId } = useOrg();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const onSuccess = () => queryClient.invalidateQueries({ queryKey: trpc.schedule.list.queryKey({ orgId }) });
  const pause = useMutation(trpc.schedule.pause.mutationOptions({ onSuccess }));
  const resume = useMutation(trpc.schedule.resume.mutationOptions({ onSuccess }));
  const remove = useMutation(trpc.schedule.delete.mutationOptions({ onSuccess }));
  const error = readFormErrors(pause.error ?? resume.error ?? remove.error).message;
  const busy = pause.isPending || resume.isPending || remove.isPending;
  const ref = { orgId, scheduleId: s.id };

  return (
    <>
      <span className="form-actions" style={{ justifyContent: 'flex-end' }}>
        {confirming ? (
          <>
            <button
              type="button"
              className="button button-small button-danger"
              disabled={busy}
              onClick={() => remove.mutate(ref, { onSettled: () => setConfirming(false) })}
            >
              Delete {s.name}
            </button>
            <button type="button" className="button button-small" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </>
        ) : (
          <>
            {s.paused || s.temporal === 'MISSING' ? (
              <button
                type="button"
                className="button button-small"
                disabled={busy}
                aria-label={`Resume ${s.name}`}
                onClick={() => resume.mutate(ref)}
              >
                {resume.isPending ? 'Resuming…' : 'Resume'}
              </button>
            ) : (
              <button
                type="button"
                className="button button-small"
                disabled={busy}
                aria-label={`Pause ${s.name}`}
                onClick={() => pause.mutate(ref)}
              >
                {pause.isPending ? 'Pausing…' : 'Pause'}
              </button>
            )}
            <button
              type="button"
              className="button button-small"
              disabled={busy}
              aria-label={`Delete ${s.name}`}
              onClick={() => setConfirming(true)}
            >
              Delete
            </button>
          </>
        )}
      </span>
      {error ? <p className="field-error">{error}</p> : null}
    </>
  );
}
