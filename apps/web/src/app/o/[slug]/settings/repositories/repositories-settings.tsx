'use client';

import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { FormMessage } from '~/components/form.tsx';
import { EditRecordButton } from '~/components/record-form-card.tsx';
import { useCan, useOrg } from '~/components/org-context.tsx';
import { type RouterOutputs, useTRPC } from '~/trpc/react.tsx';
import { RepositoryForm } from './repository-form.tsx';

export type Repository = RouterOutputs['repository']['list'][number];

export function RepositoriesSettings() {
  const { orgId } = useOrg();
  const trpc = useTRPC();
  const canConfigure = useCan('fleet:configure');
  const repositories = useQuery(trpc.repository.list.queryOptions({ orgId }));
  const [editing, setEditing] = useState<Repository | null>(null);

  return (
    <>
      {canConfigure ? (
        <RepositoryForm key={editing?.id ?? 'new'} repository={editing} onDone={() => setEditing(null)} />
      ) : (
        <p className="notice">Owners and admins add and change repositories. You can see how they are set up.</p>
      )}
      <section className="card" aria-label="Repositories">
        <div className="card-header">
          <div>
            <h2>Repositories</h2>
            <p className="muted">What agents work on. Each session gets its own worktree and branch from a local mirror.</p>
          </div>
        </div>
        <FormMessage message={repositories.error?.message} />
        {!repositories.data ? (
          repositories.error ? null : (
            <p className="empty">Loading…</p>
          )
        ) : repositories.data.length === 0 ? (
          <p className="empty">No repository yet{canConfigure ? ': add the first one above.' : '.'}</p>
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th>Name</th>
                <th>Source</th>
                <th>Default branch</th>
                <th>Setup</th>
                <th>Test command</th>
                <th>Schema per session</th>
                {canConfigure ? (
                  <th className="actions">
                    <span className="sr-only">Actions</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {repositories.data.map((repo) => (
                <tr key={repo.id} data-testid={`repository-${repo.name}`} aria-current={editing?.id === repo.id ? 'true' : undefined}>
                  <td>
                    <div className="person">
                      <div>
                        <strong>{repo.name}</strong>
                        <span>{repo.forge === 'GITHUB' ? 'GitHub' : 'Local forge'}</span>
                      </div>
                    </div>
                  </td>
                  <td className="cell-clip">
                    <span className="mono" title={repo.url ?? repo.localPath ?? undefined}>
                      {repo.url ?? repo.localPath}
                    </span>
                  </td>
                  <td>
                    <code>{repo.defaultBranch}</code>
                  </td>
                  <td className="cell-clip" title={repo.teardownCommand ? `Teardown: ${repo.teardownCommand}` : undefined}>
                    {repo.setupCommand ? <code>{repo.setupCommand}</code> : <span className="faint">None</span>}
                  </td>
                  <td className="cell-clip">{repo.testCommand ? <code>{repo.testCommand}</code> : <span className="faint">None</span>}</td>
                  <td>
                    {repo.createsSchema ? (
                      repo.templateSchema ? (
                        <>
                          Yes, from <code>{repo.templateSchema}</code>
                        </>
                      ) : (
                        'Yes'
                      )
                    ) : (
                      <span className="faint">No</span>
                    )}
                  </td>
                  {canConfigure ? (
                    <td className="actions">
                      <EditRecordButton name={repo.name} onEdit={() => setEditing(repo)} />
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
