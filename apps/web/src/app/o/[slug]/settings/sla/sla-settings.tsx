'use client';

import type { TaskType } from '@parallax/db';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Field, FormMessage, readFormErrors } from '~/components/form.tsx';
import { formatDateTime } from '~/components/format.ts';
import { useCan, useOrg } from '~/components/org-context.tsx';
import { formatMinutes } from '~/components/sessions/clock.tsx';
import { TASK_TYPES } from '~/components/sessions/status.tsx';
import { type RouterOutputs, useTRPC } from '~/trpc/react.tsx';

type SlaPolicy = RouterOutputs['slaPolicy']['list'][number];

const TYPES = Object.keys(TASK_TYPES) as TaskType[];
const MAX_MINUTES = 7 * 24 * 60;

/** Per task type: the policy in force, when it took effect, and the ones it replaced. */
export function SlaSettings() {
  const { orgId } = useOrg();
  const trpc = useTRPC();
  const canConfigure = useCan('fleet:configure');
  const policies = useQuery(trpc.slaPolicy.list.queryOptions({ orgId }));
  const now = Date.now();

  return (
    <>
      {canConfigure ? (
        <SetPolicy policies={policies.data ?? []} />
      ) : (
        <p className="notice">Owners and admins set SLA policies. You can see the ones in force and their history.</p>
      )}
      <FormMessage message={policies.error?.message} />
      {!policies.data ? (
        policies.error ? null : (
          <p className="muted">Loading…</p>
        )
      ) : (
        <div className="grid-3">
          {TYPES.map((type) => {
            const history = policies.data.filter((p) => p.taskType === type);
            const inForce = history.find((p) => p.effectiveFrom.getTime() <= now);
            return (
              <section
                key={type}
                className="card"
                aria-label={`SLA for ${TASK_TYPES[type].label.toLowerCase()} tasks`}
                data-testid={`sla-${type}`}
              >
                <div className="card-header">
                  <div>
                    <h2 title={TASK_TYPES[type].hint}>{TASK_TYPES[type].label}</h2>
                  </div>
                </div>
                <div className="card-body">
                  {inForce ? (
                    <div>
                      <div className="stat-value">{formatMinutes(inForce.minutes)}</div>
                      <p className="muted">from dispatch to pull request, since {formatDateTime(inForce.effectiveFrom)}</p>
                    </div>
                  ) : (
                    <p className="muted">No SLA: sessions of this type have no clock.</p>
                  )}
                </div>
                {history.length > 1 ? (
                  <table className="table">
                    <thead>
                      <tr>
                        <th>History</th>
                        <th>In force</th>
                      </tr>
                    </thead>
                    <tbody>
                      {history.map((policy, i) => (
                        <tr key={policy.id}>
                          <td>{formatMinutes(policy.minutes)}</td>
                          <td className="muted">{period(policy, history[i - 1])}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                ) : null}
              </section>
            );
          })}
        </div>
      )}
    </>
  );
}

/** "since Nov 3", or "Oct 1 – Nov 3" for one that a newer policy replaced (the list is newest first). */
function period(policy: SlaPolicy, newer: SlaPolicy | undefined): string {
  return newer
    ? `${formatDateTime(policy.effectiveFrom)} – ${formatDateTime(newer.effectiveFrom)}`
    : `since ${formatDateTime(policy.effectiveFrom)}`;
}

function SetPolicy(props: { policies: SlaPolicy[] }) {
  const { orgId } = useOrg();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [taskType, setTaskType] = useState<TaskType>('STANDARD');
  const [minutesError, setMinutesError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const set = useMutation(
    trpc.slaPolicy.set.mutationOptions({
      onSuccess: async (policy) => {
        setSaved(`${TASK_TYPES[policy.taskType].label} tasks now have ${formatMinutes(policy.minutes)}.`);
        await queryClient.invalidateQueries({ queryKey: trpc.slaPolicy.list.queryKey({ orgId }) });
      },
    }),
  );
  const errors = readFormErrors(set.error);
  const current = props.policies.find((p) => p.taskType === taskType && p.effectiveFrom.getTime() <= Date.now());

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaved(null);
    const raw = String(new FormData(event.currentTarget).get('minutes') ?? '').trim();
    const minutes = Number(raw);
    if (raw === '' || !Number.isInteger(minutes) || minutes < 1 || minutes > MAX_MINUTES) {
      setMinutesError(`Enter whole minutes, from 1 to ${MAX_MINUTES.toLocaleString()} (a week).`);
      return;
    }
    setMinutesError(null);
    set.mutate({ orgId, taskType, minutes });
  }

  return (
    <section className="card" aria-label="Set an SLA">
      <div className="card-header">
        <div>
          <h2>Set an SLA</h2>
          <p className="muted">
            How long an agent has from dispatch to pull request. A new policy applies to sessions dispatched from now on; the ones already
            dispatched keep the SLA recorded on them.
          </p>
        </div>
      </div>
      <form className="card-body form" onSubmit={onSubmit} onChange={() => setSaved(null)} noValidate>
        <div className="form-row">
          <Field label="Task type" htmlFor="sla-type" errors={errors.fields.taskType}>
            <select className="select" id="sla-type" value={taskType} onChange={(e) => setTaskType(e.target.value as TaskType)}>
              {TYPES.map((t) => (
                <option key={t} value={t}>
                  {TASK_TYPES[t].label}
                </option>
              ))}
            </select>
          </Field>
          <Field
            label="Minutes"
            htmlFor="sla-minutes"
            hint={current ? `Now ${formatMinutes(current.minutes)}.` : 'None in force now.'}
            errors={minutesError ? [minutesError] : errors.fields.minutes}
          >
            <input
              key={taskType}
              className="input"
              id="sla-minutes"
              name="minutes"
              type="number"
              min={1}
              max={MAX_MINUTES}
              defaultValue={current?.minutes}
              aria-invalid={Boolean(minutesError ?? errors.fields.minutes)}
            />
          </Field>
        </div>
        <FormMessage message={errors.message} />
        <FormMessage message={saved} tone="success" />
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={set.isPending}>
            {set.isPending ? 'Setting…' : 'Set policy'}
          </button>
        </div>
      </form>
    </section>
  );
}
