'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Field, FormMessage, readFormErrors } from '~/components/form.tsx';
import { formatDateTime } from '~/components/format.ts';
import { useOrg } from '~/components/org-context.tsx';
import { useTRPC } from '~/trpc/react.tsx';

/** Variables this org's agents get (API keys of model providers): entered once, then only their hints are shown. */
export function AgentSecretsCard() {
  const { orgId } = useOrg();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.agentSecret.list.queryOptions({ orgId }));
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.agentSecret.list.queryKey({ orgId }) });
  const set = useMutation(trpc.agentSecret.set.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(trpc.agentSecret.delete.mutationOptions({ onSuccess: refresh }));
  const errors = readFormErrors(set.error);
  const [formKey, setFormKey] = useState(0);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    set.mutate(
      { orgId, name: String(form.get('name') ?? '').trim(), value: String(form.get('value') ?? '') },
      // The value leaves the page once saved: a fresh, empty form.
      { onSuccess: () => setFormKey((k) => k + 1) },
    );
  }

  return (
    <section className="card" data-testid="agent-secrets">
      <div className="card-header">
        <div>
          <h2>Agent secrets</h2>
          <p className="muted">
            Environment variables for this organization’s agents, e.g. <code>ANTHROPIC_API_KEY</code>. Stored encrypted; after saving, only
            the last characters are shown. An agent gets the ones its profile names.
          </p>
        </div>
      </div>
      <form key={formKey} className="card-body form" onSubmit={onSubmit} noValidate autoComplete="off">
        <div className="form-row">
          <Field label="Variable" htmlFor="secret-name" hint="Capital letters, digits and _." errors={errors.fields.name}>
            <input
              className="input mono"
              id="secret-name"
              name="name"
              placeholder="ANTHROPIC_API_KEY"
              aria-invalid={Boolean(errors.fields.name)}
            />
          </Field>
          <Field label="Value" htmlFor="secret-value" errors={errors.fields.value}>
            <input className="input" id="secret-value" name="value" type="password" aria-invalid={Boolean(errors.fields.value)} />
          </Field>
        </div>
        <FormMessage message={errors.message ?? readFormErrors(remove.error).message} />
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={set.isPending}>
            {set.isPending ? 'Saving…' : 'Save secret'}
          </button>
        </div>
        {set.data ? (
          <p className="notice notice-success" data-testid="saved-agent-secret">
            Saved <code>{set.data.name}</code> ({set.data.hint}){set.data.replaced ? ', replacing the previous value' : ''}.
          </p>
        ) : null}
      </form>
      <FormMessage message={list.error?.message} />
      {!list.data ? null : list.data.length === 0 ? (
        <p className="empty">No agent secrets yet.</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>Variable</th>
              <th>Value</th>
              <th>Set</th>
              <th className="actions">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.data.map((s) => (
              <tr key={s.id} data-testid={`agent-secret-${s.name}`}>
                <td className="mono">{s.name}</td>
                <td className="mono">{s.hint}</td>
                <td>{formatDateTime(s.rotatedAt ?? s.createdAt)}</td>
                <td className="actions">
                  <button
                    type="button"
                    className="button button-small button-danger"
                    disabled={remove.isPending && remove.variables?.name === s.name}
                    onClick={() => remove.mutate({ orgId, name: s.name })}
                  >
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
