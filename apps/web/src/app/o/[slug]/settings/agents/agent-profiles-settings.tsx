'use client';

import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { FormMessage } from '~/components/form.tsx';
import { EditRecordButton } from '~/components/record-form-card.tsx';
import { useCan, useOrg } from '~/components/org-context.tsx';
import { ADAPTERS } from '~/components/sessions/status.tsx';
import { type RouterOutputs, useTRPC } from '~/trpc/react.tsx';
import { AgentProfileForm } from './agent-profile-form.tsx';

export type AgentProfile = RouterOutputs['agentProfile']['list'][number];

export function AgentProfilesSettings() {
  const { orgId } = useOrg();
  const trpc = useTRPC();
  const canConfigure = useCan('fleet:configure');
  const profiles = useQuery(trpc.agentProfile.list.queryOptions({ orgId }));
  const sandbox = useQuery(trpc.agentProfile.sandboxStatus.queryOptions({ orgId }));
  const [editing, setEditing] = useState<AgentProfile | null>(null);

  return (
    <>
      {sandbox.data && (sandbox.data.latestMode === 'unsandboxed' || sandbox.data.unsandboxedLast30Days > 0) ? (
        <p className="notice notice-error" data-testid="unsandboxed-org">
          <strong>Agents are running without a sandbox.</strong> {sandbox.data.unsandboxedLast30Days} session(s) in the last 30 days ran
          with the worker's own files and network (its operator started it with PARALLAX_SANDBOX=off, meant for single-tenant self-hosting).
        </p>
      ) : sandbox.data?.latestMode === 'bubblewrap' ? (
        <p className="notice" data-testid="sandboxed-org">
          Agents run in a sandbox: each sees its own worktree, reaches only the hosts its profile allows, and gets only the secrets it
          names.
        </p>
      ) : null}
      {canConfigure ? (
        <AgentProfileForm key={editing?.id ?? 'new'} profile={editing} onDone={() => setEditing(null)} />
      ) : (
        <p className="notice">Owners and admins add and change agent profiles. You can see how they are set up.</p>
      )}
      <section className="card" aria-label="Agent profiles">
        <div className="card-header">
          <div>
            <h2>Agent profiles</h2>
            <p className="muted">Which agent runs a task and how. A dispatch without a profile uses the first one.</p>
          </div>
        </div>
        <FormMessage message={profiles.error?.message} />
        {!profiles.data ? (
          profiles.error ? null : (
            <p className="empty">Loading…</p>
          )
        ) : profiles.data.length === 0 ? (
          <p className="empty">No agent profile yet.</p>
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th>Name</th>
                <th>Agent</th>
                <th>Command and config</th>
                {canConfigure ? (
                  <th className="actions">
                    <span className="sr-only">Actions</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {profiles.data.map((profile) => {
                const config = JSON.stringify(profile.config);
                return (
                  <tr key={profile.id} data-testid={`agent-${profile.name}`} aria-current={editing?.id === profile.id ? 'true' : undefined}>
                    <td>
                      <strong>{profile.name}</strong>
                    </td>
                    <td>{ADAPTERS[profile.adapter].label}</td>
                    <td className="cell-clip">
                      {profile.commandTemplate ? <code title={profile.commandTemplate}>{profile.commandTemplate}</code> : null}
                      {profile.commandTemplate && config !== '{}' ? <br /> : null}
                      {config !== '{}' ? (
                        <code className="faint" title={config}>
                          {config}
                        </code>
                      ) : profile.commandTemplate ? null : (
                        <span className="faint">Defaults</span>
                      )}
                    </td>
                    {canConfigure ? (
                      <td className="actions">
                        <EditRecordButton name={profile.name} onEdit={() => setEditing(profile)} />
                      </td>
                    ) : null}
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
