'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Field, FormMessage, readFormErrors } from '~/components/form.tsx';
import { useCan, useOrg } from '~/components/org-context.tsx';
import { initials } from '~/components/shell/menu.tsx';
import { type RouterOutputs, useTRPC } from '~/trpc/react.tsx';

type Team = RouterOutputs['team']['list'][number];
type Member = RouterOutputs['member']['list'][number];

function useInvalidateTeams() {
  const { orgId } = useOrg();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.team.list.queryKey({ orgId }) }),
      // Members show their teams too.
      queryClient.invalidateQueries({ queryKey: trpc.member.list.queryKey({ orgId }) }),
    ]);
}

export function TeamsSettings() {
  const { orgId } = useOrg();
  const trpc = useTRPC();
  const canManage = useCan('teams:manage');
  const teams = useQuery(trpc.team.list.queryOptions({ orgId }));
  const members = useQuery(trpc.member.list.queryOptions({ orgId }));
  const error = teams.error ?? members.error;
  return (
    <>
      {canManage ? <CreateTeam /> : <p className="notice">Owners, admins and leads manage teams.</p>}
      {error ? <FormMessage message={error.message} /> : null}
      {!teams.data || !members.data ? (
        error ? null : (
          <p className="muted">Loading…</p>
        )
      ) : teams.data.length === 0 ? (
        <section className="card">
          <p className="empty">No teams yet.</p>
        </section>
      ) : (
        <div className="grid-2">
          {teams.data.map((team) => (
            <TeamCard key={team.id} team={team} members={members.data} canManage={canManage} />
          ))}
        </div>
      )}
    </>
  );
}

function CreateTeam() {
  const { orgId } = useOrg();
  const trpc = useTRPC();
  const invalidate = useInvalidateTeams();
  const [name, setName] = useState('');
  const create = useMutation(
    trpc.team.create.mutationOptions({
      onSuccess: async () => {
        setName('');
        await invalidate();
      },
    }),
  );
  const errors = readFormErrors(create.error);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    create.mutate({ orgId, name: name.trim() });
  }

  return (
    <section className="card">
      <form className="card-body form" onSubmit={onSubmit} noValidate>
        <Field
          label="New team"
          htmlFor="team-name"
          hint="Teams group developers for evidence and variance reports."
          errors={errors.fields.name}
        >
          <div className="inline-input">
            <input
              className="input"
              id="team-name"
              value={name}
              onChange={(e) => setName(e.target.value)}
              placeholder="Platform"
              aria-invalid={Boolean(errors.fields.name)}
            />
            <button type="submit" className="button button-primary" disabled={create.isPending}>
              {create.isPending ? 'Creating…' : 'Create team'}
            </button>
          </div>
        </Field>
        <FormMessage message={errors.message} />
      </form>
    </section>
  );
}

function TeamCard(props: { team: Team; members: Member[]; canManage: boolean }) {
  const { team, members, canManage } = props;
  const { orgId } = useOrg();
  const trpc = useTRPC();
  const invalidate = useInvalidateTeams();
  const [selected, setSelected] = useState('');
  const add = useMutation(
    trpc.team.addMember.mutationOptions({
      onSuccess: async () => {
        setSelected('');
        await invalidate();
      },
    }),
  );
  const remove = useMutation(trpc.team.removeMember.mutationOptions({ onSuccess: invalidate }));
  const inTeam = new Set(team.members.map((m) => m.membershipId));
  const candidates = members.filter((m) => !inTeam.has(m.membershipId));
  const error = readFormErrors(add.error ?? remove.error).message;

  return (
    <section className="card" data-testid={`team-${team.slug}`} aria-label={`Team ${team.name}`}>
      <div className="card-header">
        <div>
          <h2>{team.name}</h2>
          <p className="muted">
            {team.members.length} {team.members.length === 1 ? 'member' : 'members'}
          </p>
        </div>
      </div>
      {team.members.length === 0 ? (
        <p className="empty">Nobody in this team yet.</p>
      ) : (
        <table className="table">
          <tbody>
            {team.members.map((m) => {
              const label = m.name ?? m.email;
              return (
                <tr key={m.membershipId}>
                  <td>
                    <div className="person">
                      <span className="avatar" aria-hidden>
                        {initials(label)}
                      </span>
                      <div>
                        <strong>{label}</strong>
                        <span>{m.email}</span>
                      </div>
                    </div>
                  </td>
                  {canManage ? (
                    <td className="actions">
                      <button
                        type="button"
                        className="button button-small"
                        aria-label={`Remove ${label} from ${team.name}`}
                        disabled={remove.isPending && remove.variables?.membershipId === m.membershipId}
                        onClick={() => remove.mutate({ orgId, teamId: team.id, membershipId: m.membershipId })}
                      >
                        Remove
                      </button>
                    </td>
                  ) : null}
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {canManage ? (
        <form
          className="card-body form"
          style={{ borderTop: '1px solid var(--border)' }}
          onSubmit={(e) => {
            e.preventDefault();
            if (selected) add.mutate({ orgId, teamId: team.id, membershipId: selected });
          }}
        >
          <div className="inline-input">
            <select
              className="select"
              aria-label={`Add a member to ${team.name}`}
              value={selected}
              onChange={(e) => setSelected(e.target.value)}
              disabled={candidates.length === 0}
              style={{ flex: 1 }}
            >
              <option value="">{candidates.length ? 'Choose a member…' : 'Everyone is in this team'}</option>
              {candidates.map((m) => (
                <option key={m.membershipId} value={m.membershipId}>
                  {m.name ? `${m.name} (${m.email})` : m.email}
                </option>
              ))}
            </select>
            <button type="submit" className="button" disabled={!selected || add.isPending}>
              Add to team
            </button>
          </div>
          <FormMessage message={error} />
        </form>
      ) : null}
    </section>
  );
}
