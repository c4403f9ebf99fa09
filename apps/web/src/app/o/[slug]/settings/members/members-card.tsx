'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { FormMessage, readFormErrors } from '~/components/form.tsx';
import { useCan, useOrg } from '~/components/org-context.tsx';
import { ROLE_LABELS, ROLES, type Role } from '~/components/roles.ts';
import { initials } from '~/components/shell/menu.tsx';
import { type RouterOutputs, useTRPC } from '~/trpc/react.tsx';

type Member = RouterOutputs['member']['list'][number];

export function MembersCard() {
  const { orgId } = useOrg();
  const trpc = useTRPC();
  const members = useQuery(trpc.member.list.queryOptions({ orgId }));
  const count = members.data?.length;
  return (
    <section className="card">
      <div className="card-header">
        <div>
          <h2>Members</h2>
          <p className="muted">
            {count === undefined ? 'Everyone in this organization.' : `${count} ${count === 1 ? 'person' : 'people'} in this organization.`}
          </p>
        </div>
      </div>
      {members.error ? (
        <div className="card-body">
          <FormMessage message={members.error.message} />
        </div>
      ) : !members.data ? (
        <p className="empty">Loading…</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>Person</th>
              <th>Teams</th>
              <th>Role</th>
              <th className="actions">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {members.data.map((member) => (
              <MemberRow key={member.membershipId} member={member} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function MemberRow(props: { member: Member }) {
  const { member } = props;
  const { orgId, userId } = useOrg();
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const canManage = useCan('members:manage');
  const [confirming, setConfirming] = useState(false);
  const isSelf = member.userId === userId;
  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: trpc.member.list.queryKey({ orgId }) });
    // Your own role decides what the shell shows.
    if (isSelf) router.refresh();
  };
  const updateRole = useMutation(trpc.member.updateRole.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(
    trpc.member.remove.mutationOptions({
      onSuccess: async () => {
        if (!isSelf) return refresh();
        // You left: a full load of "/" picks another org (a prefetched "/" would still point here).
        window.location.assign('/');
      },
    }),
  );
  const error = readFormErrors(updateRole.error ?? remove.error).message;
  const label = member.name ?? member.email;

  return (
    <tr data-testid={`member-${member.email}`}>
      <td>
        <div className="person">
          <span className="avatar" aria-hidden>
            {initials(label)}
          </span>
          <div>
            <strong>
              {label}
              {isSelf ? <span className="faint"> (you)</span> : null}
            </strong>
            <span>{member.email}</span>
          </div>
        </div>
        {error ? <p className="field-error">{error}</p> : null}
      </td>
      <td>
        {member.teams.length ? (
          <div className="badges">
            {member.teams.map((t) => (
              <span key={t.id} className="badge">
                {t.name}
              </span>
            ))}
          </div>
        ) : (
          <span className="faint">No team</span>
        )}
      </td>
      <td>
        {canManage ? (
          <select
            className="select"
            aria-label={`Role of ${label}`}
            value={updateRole.isPending ? updateRole.variables.role : member.role}
            disabled={updateRole.isPending}
            onChange={(e) => {
              remove.reset();
              updateRole.mutate({ orgId, membershipId: member.membershipId, role: e.target.value as Role });
            }}
          >
            {ROLES.map((role) => (
              <option key={role} value={role}>
                {ROLE_LABELS[role]}
              </option>
            ))}
          </select>
        ) : (
          <span className="badge">{ROLE_LABELS[member.role]}</span>
        )}
      </td>
      <td className="actions">
        {canManage ? (
          confirming ? (
            <span className="form-actions" style={{ justifyContent: 'flex-end' }}>
              <button
                type="button"
                className="button button-small button-danger"
                disabled={remove.isPending}
                onClick={() => {
                  updateRole.reset();
                  remove.mutate({ orgId, membershipId: member.membershipId }, { onSettled: () => setConfirming(false) });
                }}
              >
                {isSelf ? 'Leave organization' : `Remove ${label}`}
              </button>
              <button type="button" className="button button-small" onClick={() => setConfirming(false)}>
                Cancel
              </button>
            </span>
          ) : (
            <button type="button" className="button button-small" onClick={() => setConfirming(true)}>
              {isSelf ? 'Leave' : 'Remove'}
            </button>
          )
        ) : null}
      </td>
    </tr>
  );
}
