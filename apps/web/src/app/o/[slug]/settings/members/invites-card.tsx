'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { CopyField } from '~/components/copy-field.tsx';
import { Field, FormMessage, readFormErrors } from '~/components/form.tsx';
import { formatRelative } from '~/components/format.ts';
import { useCan, useOrg } from '~/components/org-context.tsx';
import { ROLE_DESCRIPTIONS, ROLE_LABELS, ROLES, type Role } from '~/components/roles.ts';
import { useTRPC } from '~/trpc/react.tsx';

export function InvitesCard() {
  const canInvite = useCan('invites:manage');
  if (!canInvite) {
    return <p className="notice">Only owners and admins can invite people. Ask one of them for an invite link.</p>;
  }
  return (
    <div className="grid-2">
      <CreateInvite />
      <PendingInvites />
    </div>
  );
}

function CreateInvite() {
  const { orgId, role: myRole } = useOrg();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [role, setRole] = useState<Role>('DEVELOPER');
  const create = useMutation(
    trpc.invite.create.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.invite.list.queryKey({ orgId }) }),
    }),
  );
  const errors = readFormErrors(create.error);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = String(form.get('email') ?? '').trim();
    create.mutate({ orgId, role, expiresInDays: Number(form.get('expiresInDays')), ...(email ? { email } : {}) });
  }

  const link = create.data && typeof window !== 'undefined' ? `${window.location.origin}/invite/${create.data.token}` : null;
  return (
    <section className="card">
      <div className="card-header">
        <div>
          <h2>Invite someone</h2>
          <p className="muted">Create a link and send it yourself; it works once.</p>
        </div>
      </div>
      <form className="card-body form" onSubmit={onSubmit} noValidate>
        <div className="form-row">
          <Field label="Role" htmlFor="invite-role" hint={ROLE_DESCRIPTIONS[role]} errors={errors.fields.role}>
            <select className="select" id="invite-role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
              {ROLES.filter((r) => r !== 'OWNER' || myRole === 'OWNER').map((r) => (
                <option key={r} value={r}>
                  {ROLE_LABELS[r]}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Expires in" htmlFor="invite-expiry" errors={errors.fields.expiresInDays}>
            <select className="select" id="invite-expiry" name="expiresInDays" defaultValue="7">
              <option value="1">1 day</option>
              <option value="7">7 days</option>
              <option value="14">14 days</option>
              <option value="30">30 days</option>
            </select>
          </Field>
        </div>
        <Field
          label="Email (optional)"
          htmlFor="invite-email"
          hint="Only this person can accept it. Leave empty for anyone with the link."
          errors={errors.fields.email}
        >
          <input
            className="input"
            id="invite-email"
            name="email"
            type="email"
            placeholder="name@company.com"
            aria-invalid={Boolean(errors.fields.email)}
          />
        </Field>
        <FormMessage message={errors.message} />
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={create.isPending}>
            {create.isPending ? 'Creating…' : 'Create invite link'}
          </button>
        </div>
        {link ? (
          <div className="notice notice-success form" data-testid="invite-link">
            <p>Invite link for a {ROLE_LABELS[create.variables?.role ?? role].toLowerCase()}. Copy it now: it is shown only once.</p>
            <CopyField value={link} label="Invite link" />
          </div>
        ) : null}
      </form>
    </section>
  );
}

function PendingInvites() {
  const { orgId } = useOrg();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const invites = useQuery(trpc.invite.list.queryOptions({ orgId }));
  const revoke = useMutation(
    trpc.invite.revoke.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.invite.list.queryKey({ orgId }) }),
    }),
  );
  const pending = invites.data?.filter((i) => i.status === 'PENDING') ?? [];
  const past = (invites.data?.length ?? 0) - pending.length;
  return (
    <section className="card" style={{ alignSelf: 'start' }}>
      <div className="card-header">
        <div>
          <h2>Pending invites</h2>
          <p className="muted">{past ? `${past} used, revoked or expired not shown.` : 'Links not used yet.'}</p>
        </div>
      </div>
      <FormMessage message={invites.error?.message ?? readFormErrors(revoke.error).message} />
      {!invites.data ? (
        invites.error ? null : (
          <p className="empty">Loading…</p>
        )
      ) : pending.length === 0 ? (
        <p className="empty">No pending invites.</p>
      ) : (
        <table className="table">
          <tbody>
            {pending.map((invite) => (
              <tr key={invite.id}>
                <td>
                  <div className="person">
                    <div>
                      <strong>{invite.email ?? 'Anyone with the link'}</strong>
                      <span>
                        {ROLE_LABELS[invite.role]} · expires {formatRelative(invite.expiresAt)}
                      </span>
                    </div>
                  </div>
                </td>
                <td className="actions">
                  <button
                    type="button"
                    className="button button-small button-danger"
                    disabled={revoke.isPending && revoke.variables?.inviteId === invite.id}
                    onClick={() => revoke.mutate({ orgId, inviteId: invite.id })}
                  >
                    Revoke
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
