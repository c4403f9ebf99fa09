'use client';

import { useQuery } from '@tanstack/react-query';
import { FormMessage } from '~/components/form.tsx';
import { formatDateTime } from '~/components/format.ts';
import { useCan, useOrg } from '~/components/org-context.tsx';
import { useTRPC } from '~/trpc/react.tsx';

export function AuditLog() {
  const { orgId } = useOrg();
  const trpc = useTRPC();
  const canRead = useCan('audit:read');
  const entries = useQuery({ ...trpc.audit.list.queryOptions({ orgId, limit: 200 }), enabled: canRead });
  const members = useQuery(trpc.member.list.queryOptions({ orgId }));
  if (!canRead) return <p className="notice">Owners, admins and auditors can read the audit log.</p>;
  const actor = (userId: string | null) => {
    if (!userId) return 'System';
    const member = members.data?.find((m) => m.userId === userId);
    return member ? (member.name ?? member.email) : 'Former member';
  };
  return (
    <section className="card">
      <div className="card-header">
        <div>
          <h2>Audit log</h2>
          <p className="muted">Every change to the organization, its members, teams, invites and tokens; newest first.</p>
        </div>
      </div>
      <FormMessage message={entries.error?.message} />
      {!entries.data ? (
        entries.error ? null : (
          <p className="empty">Loading…</p>
        )
      ) : entries.data.length === 0 ? (
        <p className="empty">Nothing recorded yet.</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>When</th>
              <th>Who</th>
              <th>What</th>
              <th>Target</th>
            </tr>
          </thead>
          <tbody>
            {entries.data.map((entry) => (
              <tr key={entry.id}>
                <td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(entry.at)}</td>
                <td>{actor(entry.actorUserId)}</td>
                <td>
                  <code>{entry.action}</code>
                </td>
                <td className="faint">{entry.targetType ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
