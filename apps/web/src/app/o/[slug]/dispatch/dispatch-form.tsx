'use client';

import type { TaskType } from '@parallax/db';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { type FormEvent, useRef, useState } from 'react';
import { Field, FormMessage, readFormErrors } from '~/components/form.tsx';
import { useCan, useOrg } from '~/components/org-context.tsx';
import { formatMinutes } from '~/components/sessions/clock.tsx';
import { ADAPTERS, TASK_TYPES } from '~/components/sessions/status.tsx';
import { type RouterOutputs, useTRPC } from '~/trpc/react.tsx';

type Repository = RouterOutputs['repository']['list'][number];
type AgentProfile = RouterOutputs['agentProfile']['list'][number];
type SlaPolicy = RouterOutputs['slaPolicy']['list'][number];

interface Prefill {
  repositoryId: string;
  agentProfileId: string | null;
  taskType: TaskType;
  title: string;
  prompt: string;
  /** Set when the form retries an ended session rather than copying one. */
  retryOf: { id: string; latest: string | null } | null;
}

/**
 * A session that ended without success is retried, not copied (the server retries the latest
 * try of its chain when it was retried already): the new session is linked to it, stays on its
 * repository and task type and, when the retried try's agent had run, counts as the restart or
 * cancel-and-retry it is (METRICS.md "Intervention").
 */
function retryOf(s: { id: string; status: string; retriedAs: { id: string } | null }) {
  if (!['FAILED', 'CANCELLED', 'TIMED_OUT'].includes(s.status)) return null;
  return { id: s.id, latest: s.retriedAs?.id ?? null };
}

export function DispatchForm(props: { fromSessionId: string | null }) {
  const { orgId, slug } = useOrg();
  const trpc = useTRPC();
  const canConfigure = useCan('fleet:configure');
  const repositories = useQuery(trpc.repository.list.queryOptions({ orgId }));
  const profiles = useQuery(trpc.agentProfile.list.queryOptions({ orgId }));
  const policies = useQuery(trpc.slaPolicy.list.queryOptions({ orgId }));
  const from = useQuery({
    ...trpc.session.get.queryOptions({ orgId, sessionId: props.fromSessionId ?? '' }),
    enabled: props.fromSessionId !== null,
  });
  const error = repositories.error ?? profiles.error ?? policies.error;
  if (error) return <FormMessage message={error.message} />;
  if (!repositories.data || !profiles.data || !policies.data || (props.fromSessionId && from.isPending)) {
    return <p className="muted">Loading…</p>;
  }

  const settingsLink = (tab: string, label: string) =>
    canConfigure ? (
      <>
        Add one in <Link href={`/o/${slug}/settings/${tab}`}>Settings → {label}</Link>.
      </>
    ) : (
      'Ask an owner or admin of the organization to add one in Settings.'
    );
  if (repositories.data.length === 0) {
    return (
      <section className="card empty-state">
        <h2>No repository yet</h2>
        <p className="muted">
          Agents work on a repository of this organization, and there is none yet. {settingsLink('repositories', 'Repositories')}
        </p>
      </section>
    );
  }
  if (profiles.data.length === 0) {
    return (
      <section className="card empty-state">
        <h2>No agent profile yet</h2>
        <p className="muted">An agent profile says which agent runs the task and how. {settingsLink('agents', 'Agents')}</p>
      </section>
    );
  }
  const source = from.data;
  const prefill: Prefill | null = source
    ? {
        repositoryId: source.repositoryId,
        agentProfileId: source.agentProfileId,
        taskType: source.task.taskType,
        title: source.task.title,
        prompt: source.task.prompt,
        retryOf: retryOf(source),
      }
    : null;
  return (
    <>
      {from.error ? <FormMessage message={`Could not load the session to dispatch again: ${from.error.message}`} tone="error" /> : null}
      {prefill?.retryOf?.latest ? (
        <p className="notice" data-testid="already-retried">
          That session was retried already (<Link href={`/o/${slug}/sessions/${prefill.retryOf.latest}`}>its retry</Link>): this retries the
          latest try of the task, if it has ended without success.
        </p>
      ) : null}
      <Form
        key={source?.id ?? 'new'}
        repositories={repositories.data}
        profiles={profiles.data}
        policies={policies.data}
        prefill={prefill}
      />
    </>
  );
}

function Form(props: { repositories: Repository[]; profiles: AgentProfile[]; policies: SlaPolicy[]; prefill: Prefill | null }) {
  const { orgId, slug, role } = useOrg();
  const trpc = useTRPC();
  const router = useRouter();
  const canDispatch = useCan('sessions:dispatch');
  const { prefill } = props;
  const [profileId, setProfileId] = useState(prefill?.agentProfileId ?? props.profiles[0]!.id);
  const [taskType, setTaskType] = useState<TaskType>(prefill?.taskType ?? 'STANDARD');
  const promptRef = useRef<HTMLTextAreaElement>(null);
  const queryClient = useQueryClient();
  const dispatch = useMutation(
    trpc.session.dispatch.mutationOptions({
      onSuccess: async (result) => {
        // The retried try now links to its retry: its cached page would not say so.
        if (prefill?.retryOf) await queryClient.invalidateQueries({ queryKey: trpc.session.get.pathKey() });
        router.push(`/o/${slug}/sessions/${result.sessionId}`);
      },
    }),
  );
  const errors = readFormErrors(dispatch.error);
  const profile = props.profiles.find((p) => p.id === profileId);
  const sla = slaInForce(props.policies, taskType);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    dispatch.mutate({
      orgId,
      // A retry stays on its repository (the field is locked, and a locked field is not in the form data).
      repositoryId: prefill?.retryOf ? prefill.repositoryId : String(form.get('repositoryId') ?? ''),
      agentProfileId: profileId,
      taskType,
      title: String(form.get('title') ?? '').trim(),
      prompt: String(form.get('prompt') ?? ''),
      ...(prefill?.retryOf ? { retryOfSessionId: prefill.retryOf.id } : {}),
    });
  }

  return (
    <section className="card">
      <div className="card-header">
        <div>
          <h2>{prefill?.retryOf ? 'Retry' : prefill ? 'Dispatch again' : 'New task'}</h2>
          <p className="muted" data-testid="dispatch-purpose">
            {prefill?.retryOf
              ? 'Pre-filled from the session that did not succeed: correct the prompt or pick another agent. The retry is linked to it, stays on its repository and task type, and counts as an intervention (a restart or cancel-and-retry, METRICS.md) unless its agent never ran.'
              : prefill
                ? 'Pre-filled from the earlier session; change what you need.'
                : 'One task, one agent session, one pull request. It waits in the queue if you are at your concurrency cap.'}
          </p>
        </div>
      </div>
      <form className="card-body form" onSubmit={onSubmit} noValidate>
        {canDispatch ? null : <p className="notice">Your role ({role.toLowerCase()}) cannot dispatch tasks.</p>}
        <fieldset disabled={!canDispatch || dispatch.isPending || dispatch.isSuccess} className="form fieldset-plain">
          <div className="form-row">
            <Field label="Repository" htmlFor="dispatch-repository" errors={errors.fields.repositoryId}>
              <select
                className="select"
                id="dispatch-repository"
                name="repositoryId"
                defaultValue={prefill?.repositoryId}
                disabled={Boolean(prefill?.retryOf)}
              >
                {props.repositories.map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.name}
                  </option>
                ))}
              </select>
            </Field>
            <Field
              label="Agent"
              htmlFor="dispatch-agent"
              hint={profile ? ADAPTERS[profile.adapter].hint : undefined}
              errors={errors.fields.agentProfileId}
            >
              <select className="select" id="dispatch-agent" value={profileId} onChange={(e) => setProfileId(e.target.value)}>
                {props.profiles.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </select>
            </Field>
            <Field
              label="Task type"
              htmlFor="dispatch-type"
              hint={sla ? `PR expected within ${formatMinutes(sla.minutes)}.` : 'No SLA for this type.'}
              errors={errors.fields.taskType}
            >
              <select
                className="select"
                id="dispatch-type"
                value={taskType}
                disabled={Boolean(prefill?.retryOf)}
                onChange={(e) => setTaskType(e.target.value as TaskType)}
              >
                {(Object.keys(TASK_TYPES) as TaskType[]).map((t) => (
                  <option key={t} value={t}>
                    {TASK_TYPES[t].label}
                  </option>
                ))}
              </select>
            </Field>
          </div>
          <Field label="Title" htmlFor="dispatch-title" hint="What the pull request will be called." errors={errors.fields.title}>
            <input
              className="input"
              id="dispatch-title"
              name="title"
              defaultValue={prefill?.title}
              placeholder="Add a health check endpoint"
              maxLength={200}
              aria-invalid={Boolean(errors.fields.title)}
            />
          </Field>
          <Field
            label="Prompt"
            htmlFor="dispatch-prompt"
            hint={profile?.adapter === 'SCRIPT' ? SCRIPT_HINT : 'What the agent should do, as you would tell a colleague.'}
            errors={errors.fields.prompt}
          >
            <textarea
              className={`textarea${profile?.adapter === 'SCRIPT' ? ' textarea-mono' : ''}`}
              id="dispatch-prompt"
              name="prompt"
              rows={10}
              ref={promptRef}
              defaultValue={prefill?.prompt}
              placeholder={profile?.adapter === 'SCRIPT' ? EXAMPLE_RECIPE : undefined}
              aria-invalid={Boolean(errors.fields.prompt)}
            />
            {profile?.adapter === 'SCRIPT' ? (
              <button
                type="button"
                className="button button-small"
                onClick={() => {
                  if (promptRef.current) promptRef.current.value = EXAMPLE_RECIPE;
                }}
              >
                Use the example recipe
              </button>
            ) : null}
          </Field>
          <FormMessage message={errors.message} />
          <div className="form-actions">
            <button type="submit" className="button button-primary" disabled={!canDispatch}>
              {dispatch.isPending ? 'Dispatching…' : dispatch.isSuccess ? 'Opening the session…' : prefill?.retryOf ? 'Retry' : 'Dispatch'}
            </button>
            <Link href={`/o/${slug}/fleet`} className="button">
              Cancel
            </Link>
          </div>
        </fieldset>
      </form>
    </section>
  );
}

/** The policy in force now: the latest one that has taken effect (the list is newest first per type). */
function slaInForce(policies: SlaPolicy[], taskType: TaskType): SlaPolicy | undefined {
  const now = Date.now();
  return policies.find((p) => p.taskType === taskType && p.effectiveFrom.getTime() <= now);
}

/** A recipe that runs to a PR on the demo repository (its check wants a final newline). */
const EXAMPLE_RECIPE = JSON.stringify(
  {
    steps: [
      { write: { path: 'HELLO.md', content: '# Hello from an agent\n\nWritten by the script agent through Parallax.\n' } },
      { run: 'cat HELLO.md' },
    ],
    summary: 'Adds HELLO.md',
  },
  null,
  2,
);

const SCRIPT_HINT = (
  <>
    The script agent runs a recipe, no model: <code>{'{"steps":[{"write":{"path":"hello.txt","content":"hi\\n"}}]}'}</code>
  </>
);
