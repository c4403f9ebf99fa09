'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { CopyField } from '~/components/copy-field.tsx';
import { Field, FormMessage, readFormErrors } from '~/components/form.tsx';
import { formatDate, formatRelative } from '~/components/format.ts';
import { useCan, useOrg } from '~/components/org-context.tsx';
import { type RouterInputs, useTRPC } from '~/trpc/react.tsx';

type Scope = RouterInputs['apiToken']['create']['scopes'][number];

// Every scope the API accepts; the Record type fails to compile when one is added.
const SCOPES: Record<Scope, string> = {
  'sessions:read': 'List and watch agent sessions',
  'sessions:write': 'Dispatch, intervene, cancel',
  'evidence:read': 'Read evidence and reports',
  'evidence:export': 'Create evidence exports',
};

export function TokensSettings() {
  return (
    <>
      <CreateToken />
      <TokenList />
    </>
  );
}

function CreateToken() {
  const { orgId } = useOrg();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [scopes, setScopes] = useState<Scope[]>(['sessions:read', 'sessions:write']);
  const create = useMutation(
    trpc.apiToken.create.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.apiToken.list.queryKey({ orgId }) }),
    }),
  );
  const errors = readFormErrors(create.error);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const days = String(form.get('expiresInDays') ?? '');
    create.mutate({ orgId, name: String(form.get('name') ?? '').trim(), scopes, ...(days ? { expiresInDays: Number(days) } : {}) });
  }

  return (
    <section className="card">
      <div className="card-header">
        <div>
          <h2>Create a token</h2>
          <p className="muted">
            For the <code>plx</code> command line and the REST API. A token acts as you, in this organization only.
          </p>
        </div>
      </div>
      <form className="card-body form" onSubmit={onSubmit} noValidate>
        <div className="form-row">
          <Field label="Name" htmlFor="token-name" hint="Where it is used, e.g. “laptop CLI”." errors={errors.fields.name}>
            <input className="input" id="token-name" name="name" placeholder="laptop CLI" aria-invalid={Boolean(errors.fields.name)} />
          </Field>
          <Field label="Expires" htmlFor="token-expiry" errors={errors.fields.expiresInDays}>
            <select className="select" id="token-expiry" name="expiresInDays" defaultValue="90">
              <option value="30">in 30 days</option>
              <option value="90">in 90 days</option>
              <option value="365">in a year</option>
              <option value="">never</option>
            </select>
          </Field>
        </div>
        <fieldset className="field" style={{ border: 0, padding: 0, margin: 0 }}>
          <legend className="field-label" style={{ marginBottom: 6, padding: 0 }}>
            Scopes
          </legend>
          <div className="checkbox-row">
            {(Object.keys(SCOPES) as Scope[]).map((scope) => (
              <label key={scope} title={SCOPES[scope]}>
                <input
                  type="checkbox"
                  checked={scopes.includes(scope)}
                  onChange={(e) => setScopes((s) => (e.target.checked ? [...s, scope] : s.filter((x) => x !== scope)))}
                />
                <code>{scope}</code>
                <span className="faint">{SCOPES[scope]}</span>
              </label>
            ))}
          </div>
          {errors.fields.scopes ? <p className="field-error">{errors.fields.scopes.join(' ')}</p> : null}
        </fieldset>
        <FormMessage message={errors.message} />
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={create.isPending}>
            {create.isPending ? 'Creating…' : 'Create token'}
          </button>
        </div>
        {create.data ? (
          <div className="notice notice-success form" data-testid="new-token">
            <p>
              Copy the token now: it is shown only once. Then run <code>plx login</code> and paste it.
            </p>
            <CopyField value={create.data.token} label="New API token" />
          </div>
        ) : null}
      </form>
    </section>
  );
}

function TokenList() {
  const { orgId, userId } = useOrg();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const seesAll = useCan('tokens:manage-all');
  const tokens = useQuery(trpc.apiToken.list.queryOptions({ orgId }));
  const members = useQuery({ ...trpc.member.list.queryOptions({ orgId }), enabled: seesAll });
  const revoke = useMutation(
    trpc.apiToken.revoke.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.apiToken.list.queryKey({ orgId }) }),
    }),
  );
  const ownerName = (id: string) => {
    if (id === userId) return 'You';
    const member = members.data?.find((m) => m.userId === id);
    return member ? (member.name ?? member.email) : 'Former member';
  };
  const now = new Date();

  return (
    <section className="card">
      <div className="card-header">
        <div>
          <h2>{seesAll ? 'All tokens in this organization' : 'Your tokens'}</h2>
          <p className="muted">Only a prefix of each token is kept visible; the secret itself is stored hashed.</p>
        </div>
      </div>
      <FormMessage message={tokens.error?.message ?? readFormErrors(revoke.error).message} />
      {!tokens.data ? (
        tokens.error ? null : (
          <p className="empty">Loading…</p>
        )
      ) : tokens.data.length === 0 ? (
        <p className="empty">No API tokens yet.</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>Name</th>
              {seesAll ? <th>Owner</th> : null}
              <th>Scopes</th>
              <th>Last used</th>
              <th>Status</th>
              <th className="actions">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tokens.data.map((token) => {
              const expired = token.expiresAt !== null && token.expiresAt <= now;
              const active = !token.revokedAt && !expired;
              return (
                <tr key={token.id}>
                  <td>
                    <div className="person">
                      <div>
                        <strong>{token.name}</strong>
                        <span className="mono">{token.prefix}…</span>
                      </div>
                    </div>
                  </td>
                  {seesAll ? <td>{ownerName(token.userId)}</td> : null}
                  <td>
                    <div className="badges">
                      {token.scopes.map((s) => (
                        <span key={s} className="badge">
                          {s}
                        </span>
                      ))}
                    </div>
                  </td>
                  <td>{token.lastUsedAt ? formatRelative(token.lastUsedAt) : <span className="faint">Never</span>}</td>
                  <td>
                    {token.revokedAt ? (
                      <span className="badge badge-danger">Revoked</span>
                    ) : expired ? (
                      <span className="badge badge-danger">Expired</span>
                    ) : (
                      <span className="badge badge-accent">{token.expiresAt ? `Until ${formatDate(token.expiresAt)}` : 'No expiry'}</span>
                    )}
                  </td>
                  <td className="actions">
                    {active ? (
                      <button
                        type="button"
                        className="button button-small button-danger"
                        disabled={revoke.isPending && revoke.variables?.tokenId === token.id}
                        onClick={() => revoke.mutate({ orgId, tokenId: token.id })}
                      >
                        Revoke
                      </button>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
