'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { type FormEvent, useMemo, useState } from 'react';
import { Field, FormMessage, readFormErrors } from '~/components/form.tsx';
import { formatDateTime } from '~/components/format.ts';
import { useCan, useOrg } from '~/components/org-context.tsx';
import { type RouterOutputs, useTRPC } from '~/trpc/react.tsx';

type Org = RouterOutputs['org']['get'];

export function GeneralSettings() {
  const { orgId } = useOrg();
  const trpc = useTRPC();
  const org = useQuery(trpc.org.get.queryOptions({ orgId }));
  if (org.error) return <FormMessage message={org.error.message} />;
  if (!org.data) return <p className="muted">Loading…</p>;
  return <GeneralForm key={org.data.id} org={org.data} />;
}

function GeneralForm(props: { org: Org }) {
  const { org } = props;
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const canEdit = useCan('org:update');
  const [saved, setSaved] = useState(false);
  const [numberErrors, setNumberErrors] = useState<Record<string, string[]>>({});
  const timeZones = useMemo(() => ['UTC', ...Intl.supportedValuesOf('timeZone').filter((tz) => tz !== 'UTC')], []);
  const update = useMutation(
    trpc.org.update.mutationOptions({
      onSuccess: async () => {
        setSaved(true);
        await queryClient.invalidateQueries({ queryKey: trpc.org.get.queryKey({ orgId: org.id }) });
        router.refresh(); // the name in the org switcher
      },
    }),
  );
  const errors = readFormErrors(update.error);
  const fieldErrors = { ...errors.fields, ...numberErrors };

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaved(false);
    const form = new FormData(event.currentTarget);
    const caps: Record<string, number> = {};
    const invalid: Record<string, string[]> = {};
    for (const key of ['developerConcurrencyCap', 'orgConcurrencyCap']) {
      const raw = String(form.get(key) ?? '').trim();
      const value = Number(raw);
      if (raw === '' || !Number.isInteger(value)) invalid[key] = ['Enter a whole number.'];
      else caps[key] = value;
    }
    setNumberErrors(invalid);
    if (Object.keys(invalid).length) return;
    update.mutate({ orgId: org.id, name: String(form.get('name') ?? '').trim(), timeZone: String(form.get('timeZone')), ...caps });
  }

  return (
    <div className="grid-2">
      <section className="card">
        <div className="card-header">
          <div>
            <h2>Organization</h2>
            <p className="muted">
              {canEdit ? 'Name, reporting time zone and agent concurrency.' : 'Only owners and admins can change these.'}
            </p>
          </div>
        </div>
        <form className="card-body form" onSubmit={onSubmit} onChange={() => setSaved(false)} noValidate>
          <fieldset disabled={!canEdit} style={{ border: 0, padding: 0, margin: 0 }} className="form">
            <Field label="Name" htmlFor="org-name" errors={fieldErrors.name}>
              <input className="input" id="org-name" name="name" defaultValue={org.name} aria-invalid={Boolean(fieldErrors.name)} />
            </Field>
            <Field
              label="Time zone"
              htmlFor="org-tz"
              hint="Days in reports and evidence start at midnight here."
              errors={fieldErrors.timeZone}
            >
              <select className="select" id="org-tz" name="timeZone" defaultValue={org.timeZone}>
                {timeZones.map((tz) => (
                  <option key={tz} value={tz}>
                    {tz}
                  </option>
                ))}
              </select>
            </Field>
            <div className="form-row">
              <Field
                label="Sessions per developer"
                htmlFor="dev-cap"
                hint="1–50 at once; more wait in the queue."
                errors={fieldErrors.developerConcurrencyCap}
              >
                <input
                  className="input"
                  id="dev-cap"
                  name="developerConcurrencyCap"
                  type="number"
                  min={1}
                  max={50}
                  defaultValue={org.developerConcurrencyCap}
                  aria-invalid={Boolean(fieldErrors.developerConcurrencyCap)}
                />
              </Field>
              <Field label="Sessions per organization" htmlFor="org-cap" hint="1–10,000 at once." errors={fieldErrors.orgConcurrencyCap}>
                <input
                  className="input"
                  id="org-cap"
                  name="orgConcurrencyCap"
                  type="number"
                  min={1}
                  max={10000}
                  defaultValue={org.orgConcurrencyCap}
                  aria-invalid={Boolean(fieldErrors.orgConcurrencyCap)}
                />
              </Field>
            </div>
            <FormMessage message={errors.message} />
            <FormMessage message={saved ? 'Saved.' : null} tone="success" />
            {canEdit ? (
              <div className="form-actions">
                <button type="submit" className="button button-primary" disabled={update.isPending}>
                  {update.isPending ? 'Saving…' : 'Save changes'}
                </button>
              </div>
            ) : null}
          </fieldset>
        </form>
      </section>
      <section className="card" style={{ alignSelf: 'start' }}>
        <div className="card-header">
          <div>
            <h2>About</h2>
          </div>
        </div>
        <dl className="card-body facts">
          <dt>URL</dt>
          <dd>
            <code>/o/{org.slug}</code>
          </dd>
          <dt>Created</dt>
          <dd>{formatDateTime(org.createdAt)}</dd>
          <dt>Defaults</dt>
          <dd>
            {org.provisionedAt ? `Provisioned ${formatDateTime(org.provisionedAt)}` : 'Being provisioned (SLA policies, agent profile)…'}
          </dd>
        </dl>
      </section>
    </div>
  );
}
