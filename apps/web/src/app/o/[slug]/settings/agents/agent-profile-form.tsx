'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useRef, useState } from 'react';
import { Field, readFormErrors, scopeFormErrors } from '~/components/form.tsx';
import { RecordFormCard } from '~/components/record-form-card.tsx';
import { useOrg } from '~/components/org-context.tsx';
import { ADAPTERS } from '~/components/sessions/status.tsx';
import { useTRPC } from '~/trpc/react.tsx';
import type { AgentProfile } from './agent-profiles-settings.tsx';

type Adapter = AgentProfile['adapter'];

/** Adds an agent profile, or changes the one given. */
export function AgentProfileForm(props: { profile: AgentProfile | null; onDone: () => void }) {
  const { profile } = props;
  const { orgId } = useOrg();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const formRef = useRef<HTMLFormElement>(null);
  const [adapter, setAdapter] = useState<Adapter>(profile?.adapter ?? 'CLAUDE_CODE');
  const [configError, setConfigError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const onSuccess = async (result: AgentProfile) => {
    if (!profile) formRef.current?.reset();
    setSaved(profile ? `Saved ${result.name}.` : `Added ${result.name}.`);
    await queryClient.invalidateQueries({ queryKey: trpc.agentProfile.list.queryKey({ orgId }) });
  };
  const create = useMutation(trpc.agentProfile.create.mutationOptions({ onSuccess }));
  const update = useMutation(trpc.agentProfile.update.mutationOptions({ onSuccess }));
  const mutation = profile ? update : create;
  const errors = scopeFormErrors(readFormErrors(mutation.error), 'settings');
  const fieldErrors: Record<string, string[] | undefined> = { ...errors.fields, ...(configError ? { config: [configError] } : {}) };

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaved(null);
    const form = new FormData(event.currentTarget);
    const parsed = parseConfig(String(form.get('config') ?? ''));
    setConfigError(parsed.error);
    if (parsed.error !== null) return;
    const settings = {
      name: String(form.get('name') ?? '').trim(),
      adapter,
      commandTemplate: adapter === 'COMMAND' ? String(form.get('commandTemplate') ?? '').trim() || null : null,
      config: parsed.config,
      allowedHosts: lines(String(form.get('allowedHosts') ?? '')),
      secretNames: lines(String(form.get('secretNames') ?? '')),
    };
    if (profile) update.mutate({ orgId, agentProfileId: profile.id, settings });
    else create.mutate({ orgId, settings });
  }

  return (
    <RecordFormCard
      title={profile ? `Edit ${profile.name}` : 'Add an agent profile'}
      formRef={formRef}
      onSubmit={onSubmit}
      onChange={() => setSaved(null)}
      onReset={() => setAdapter('CLAUDE_CODE')}
      message={errors.message}
      saved={saved}
      isPending={mutation.isPending}
      submitLabel={profile ? 'Save changes' : 'Add profile'}
      onDone={profile ? props.onDone : undefined}
    >
      <div className="form-row">
        <Field label="Name" htmlFor="agent-name" hint="How people pick it when they dispatch." errors={fieldErrors.name}>
          <input
            className="input"
            id="agent-name"
            name="name"
            defaultValue={profile?.name}
            placeholder="claude-sonnet"
            aria-invalid={Boolean(fieldErrors.name)}
          />
        </Field>
        <Field label="Agent" htmlFor="agent-adapter" hint={ADAPTERS[adapter].hint} errors={fieldErrors.adapter}>
          <select className="select" id="agent-adapter" value={adapter} onChange={(e) => setAdapter(e.target.value as Adapter)}>
            {(Object.keys(ADAPTERS) as Adapter[]).map((a) => (
              <option key={a} value={a}>
                {ADAPTERS[a].label}
              </option>
            ))}
          </select>
        </Field>
      </div>
      {adapter === 'COMMAND' ? (
        <Field
          label="Command template"
          htmlFor="agent-command"
          hint={
            <>
              Runs in the worktree. <code>{'{prompt}'}</code> is required; <code>{'{worktree}'}</code> and <code>{'{branch}'}</code> are
              filled in too.
            </>
          }
          errors={fieldErrors.commandTemplate}
        >
          <input
            className="input mono-input"
            id="agent-command"
            name="commandTemplate"
            defaultValue={profile?.commandTemplate ?? ''}
            placeholder="my-agent --task {prompt} --cwd {worktree}"
            aria-invalid={Boolean(fieldErrors.commandTemplate)}
          />
        </Field>
      ) : null}
      <Field
        label="Config (JSON)"
        htmlFor="agent-config"
        hint={
          adapter === 'SCRIPT'
            ? 'A default recipe, e.g. {"steps":[…]}; a prompt that is a recipe wins.'
            : 'Settings for the agent as a JSON object, e.g. a model or extra flags.'
        }
        errors={fieldErrors.config}
      >
        <textarea
          className="textarea textarea-mono"
          id="agent-config"
          name="config"
          rows={5}
          defaultValue={JSON.stringify(profile?.config ?? {}, null, 2)}
          aria-invalid={Boolean(fieldErrors.config)}
          onChange={() => setConfigError(null)}
        />
      </Field>
      <div className="form-row">
        <Field
          label="Allowed hosts"
          htmlFor="agent-hosts"
          hint="One per line: what the agent's sandbox may reach, e.g. api.anthropic.com or *.openai.com:443. Nothing else is reachable; internal addresses never are."
          errors={fieldErrors.allowedHosts}
        >
          <textarea
            className="textarea textarea-mono"
            id="agent-hosts"
            name="allowedHosts"
            rows={3}
            defaultValue={(profile?.allowedHosts ?? []).join('\n')}
            placeholder="api.anthropic.com"
            aria-invalid={Boolean(fieldErrors.allowedHosts)}
          />
        </Field>
        <Field
          label="Secrets"
          htmlFor="agent-secrets"
          hint="Names of agent secrets (Settings → Integrations) the agent gets as variables, one per line, e.g. ANTHROPIC_API_KEY."
          errors={fieldErrors.secretNames}
        >
          <textarea
            className="textarea textarea-mono"
            id="agent-secrets"
            name="secretNames"
            rows={3}
            defaultValue={(profile?.secretNames ?? []).join('\n')}
            placeholder="ANTHROPIC_API_KEY"
            aria-invalid={Boolean(fieldErrors.secretNames)}
          />
        </Field>
      </div>
    </RecordFormCard>
  );
}

/** A textarea's entries, one per line (commas too), blanks dropped. */
function lines(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((line) => line.trim())
    .filter(Boolean);
}

/** The config textarea as an object: empty means {}, anything but a JSON object is refused here. */
function parseConfig(text: string): { config: Record<string, unknown>; error: null } | { config: null; error: string } {
  if (!text.trim()) return { config: {}, error: null };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { config: null, error: `This is not valid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { config: null, error: 'The config must be a JSON object, e.g. {"model": "…"}.' };
  }
  return { config: value as Record<string, unknown>, error: null };
}
