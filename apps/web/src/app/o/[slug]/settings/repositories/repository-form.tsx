'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useRef, useState } from 'react';
import { Field, readFormErrors, scopeFormErrors } from '~/components/form.tsx';
import { RecordFormCard } from '~/components/record-form-card.tsx';
import { useOrg } from '~/components/org-context.tsx';
import { useTRPC } from '~/trpc/react.tsx';
import type { Repository } from './repositories-settings.tsx';

type Forge = Repository['forge'];

/** Adds a repository, or changes the one given. */
export function RepositoryForm(props: { repository: Repository | null; onDone: () => void }) {
  const { repository: repo } = props;
  const { orgId } = useOrg();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [forge, setForge] = useState<Forge>(repo?.forge ?? 'LOCAL');
  const [localErrors, setLocalErrors] = useState<Record<string, string[]>>({});
  const [saved, setSaved] = useState<string | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const onSuccess = async (saved: Repository) => {
    if (!repo) formRef.current?.reset();
    setSaved(repo ? `Saved ${saved.name}.` : `Added ${saved.name}.`);
    await queryClient.invalidateQueries({ queryKey: trpc.repository.list.queryKey({ orgId }) });
  };
  const create = useMutation(trpc.repository.create.mutationOptions({ onSuccess }));
  const update = useMutation(trpc.repository.update.mutationOptions({ onSuccess }));
  const mutation = repo ? update : create;
  const errors = scopeFormErrors(readFormErrors(mutation.error), 'settings');
  const fieldErrors = { ...errors.fields, ...localErrors };

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaved(null);
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? '').trim();
    const installation = text('githubInstallationId');
    const installationId = installation ? Number(installation) : null;
    if (installationId !== null && !(Number.isInteger(installationId) && installationId > 0)) {
      setLocalErrors({ githubInstallationId: ['Enter the installation’s number, or leave it empty.'] });
      return;
    }
    setLocalErrors({});
    const settings = {
      name: text('name'),
      forge,
      url: text('url') || null,
      localPath: text('localPath') || null,
      defaultBranch: text('defaultBranch') || 'main',
      testCommand: text('testCommand') || null,
      setupCommand: text('setupCommand') || null,
      teardownCommand: text('teardownCommand') || null,
      createsSchema: form.get('createsSchema') === 'on',
      templateSchema: text('templateSchema') || null,
      githubInstallationId: forge === 'GITHUB' ? installationId : null,
    };
    if (repo) update.mutate({ orgId, repositoryId: repo.id, settings });
    else create.mutate({ orgId, settings });
  }

  return (
    <RecordFormCard
      title={repo ? `Edit ${repo.name}` : 'Add a repository'}
      formRef={formRef}
      onSubmit={onSubmit}
      onChange={() => setSaved(null)}
      onReset={() => setForge('LOCAL')}
      message={errors.message}
      saved={saved}
      isPending={mutation.isPending}
      submitLabel={repo ? 'Save changes' : 'Add repository'}
      onDone={repo ? props.onDone : undefined}
    >
      <div className="form-row">
        <Field label="Name" htmlFor="repo-name" hint="Letters, digits, dots, dashes, underscores." errors={fieldErrors.name}>
          <input
            className="input"
            id="repo-name"
            name="name"
            defaultValue={repo?.name}
            placeholder="web-app"
            aria-invalid={Boolean(fieldErrors.name)}
          />
        </Field>
        <Field label="Forge" htmlFor="repo-forge" hint="Where pull requests are opened." errors={fieldErrors.forge}>
          <select className="select" id="repo-forge" value={forge} onChange={(e) => setForge(e.target.value as Forge)}>
            <option value="LOCAL">Local forge (built in)</option>
            <option value="GITHUB">GitHub</option>
          </select>
        </Field>
      </div>
      <div className="form-row">
        <Field
          label="Clone URL"
          htmlFor="repo-url"
          hint={
            forge === 'GITHUB'
              ? 'https://github.com/<owner>/<repo>'
              : 'An https:// or ssh:// URL git can clone; a repository on this server goes in Local path.'
          }
          errors={fieldErrors.url}
        >
          <input
            className="input mono-input"
            id="repo-url"
            name="url"
            defaultValue={repo?.url ?? ''}
            placeholder={forge === 'GITHUB' ? 'https://github.com/acme/web-app' : 'https://git.example.com/acme/web-app.git'}
            aria-invalid={Boolean(fieldErrors.url)}
          />
        </Field>
        <Field
          label="Local path"
          htmlFor="repo-path"
          hint="A repository of this organization’s local forge by name (web-app.git), or a path under a repository root the operator configured."
          errors={fieldErrors.localPath}
        >
          <input
            className="input mono-input"
            id="repo-path"
            name="localPath"
            defaultValue={repo?.localPath ?? ''}
            placeholder="web-app.git"
            aria-invalid={Boolean(fieldErrors.localPath)}
          />
        </Field>
      </div>
      <div className="form-row">
        <Field
          label="Default branch"
          htmlFor="repo-branch"
          hint="Sessions branch from it; PRs target it."
          errors={fieldErrors.defaultBranch}
        >
          <input
            className="input mono-input"
            id="repo-branch"
            name="defaultBranch"
            defaultValue={repo?.defaultBranch ?? 'main'}
            aria-invalid={Boolean(fieldErrors.defaultBranch)}
          />
        </Field>
        <Field
          label="Test command"
          htmlFor="repo-test"
          hint="Runs in the worktree after the agent; pass or fail is recorded. Empty: no checks."
          errors={fieldErrors.testCommand}
        >
          <input
            className="input mono-input"
            id="repo-test"
            name="testCommand"
            defaultValue={repo?.testCommand ?? ''}
            placeholder="npm test"
            aria-invalid={Boolean(fieldErrors.testCommand)}
          />
        </Field>
      </div>
      <div className="form-row">
        <Field
          label="Setup command"
          htmlFor="repo-setup"
          hint="Runs in the session’s sandbox before the agent, with .env.local in effect: install dependencies, migrate, seed. Fails the session if it fails. Empty: none."
          errors={fieldErrors.setupCommand}
        >
          <input
            className="input mono-input"
            id="repo-setup"
            name="setupCommand"
            defaultValue={repo?.setupCommand ?? ''}
            placeholder="npm ci && npm run db:migrate"
            aria-invalid={Boolean(fieldErrors.setupCommand)}
          />
        </Field>
        <Field
          label="Teardown command"
          htmlFor="repo-teardown"
          hint="Runs in the sandbox before cleanup, however the session ended; at most 5 minutes. Its failure is logged, nothing more. Empty: none."
          errors={fieldErrors.teardownCommand}
        >
          <input
            className="input mono-input"
            id="repo-teardown"
            name="teardownCommand"
            defaultValue={repo?.teardownCommand ?? ''}
            placeholder="npm run services:stop"
            aria-invalid={Boolean(fieldErrors.teardownCommand)}
          />
        </Field>
      </div>
      {forge === 'GITHUB' ? (
        <Field
          label="GitHub App installation"
          htmlFor="repo-installation"
          hint="Optional: the installation that may push and open PRs. Empty: the organization’s GitHub token."
          errors={fieldErrors.githubInstallationId}
        >
          <input
            className="input"
            id="repo-installation"
            name="githubInstallationId"
            inputMode="numeric"
            defaultValue={repo?.githubInstallationId ?? ''}
            aria-invalid={Boolean(fieldErrors.githubInstallationId)}
          />
        </Field>
      ) : null}
      <div className="field">
        <label className="checkbox-field">
          <input type="checkbox" name="createsSchema" defaultChecked={repo?.createsSchema ?? false} />
          Create a database schema for each session
        </label>
        <p className="field-hint">
          Each session gets its own PostgreSQL schema, named in <code>DATABASE_URL</code> in the worktree’s <code>.env.local</code>, and
          dropped when the session ends.
        </p>
      </div>
      <Field
        label="Template schema"
        htmlFor="repo-template"
        hint="Optional: each session’s schema starts as a copy of this schema on the session database server (tables, rows, sequences), instead of empty. The operator marks it as a template of this organization."
        errors={fieldErrors.templateSchema}
      >
        <input
          className="input mono-input"
          id="repo-template"
          name="templateSchema"
          defaultValue={repo?.templateSchema ?? ''}
          placeholder="app_template"
          aria-invalid={Boolean(fieldErrors.templateSchema)}
        />
      </Field>
    </RecordFormCard>
  );
}
