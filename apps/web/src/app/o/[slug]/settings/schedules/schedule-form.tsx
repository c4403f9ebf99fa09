'use client';

import type { TaskType } from '@parallax/db';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useRef, useState } from 'react';
import { Field, readFormErrors } from '~/components/form.tsx';
import { useOrg } from '~/components/org-context.tsx';
import { RecordFormCard } from '~/components/record-form-card.tsx';
import { TASK_TYPES } from '~/components/sessions/status.tsx';
import { type RouterOutputs, useTRPC } from '~/trpc/react.tsx';

type Repository = RouterOutputs['repository']['list'][number];
type AgentProfile = RouterOutputs['agentProfile']['list'][number];
type Member = RouterOutputs['member']['list'][number];

const PRESETS = [
  { label: 'Every hour', cron: '0 * * * *' },
  { label: 'Nightly at 03:00', cron: '0 3 * * *' },
  { label: 'Weekdays at 09:00', cron: '0 9 * * 1-5' },
  { label: 'Mondays at 08:00', cron: '0 8 * * 1' },
];

/** Roles whose sessions may run; the server checks again. */
const RUNS_SESSIONS = new Set(['OWNER', 'ADMIN', 'LEAD', 'DEVELOPER']);

/** Adds a schedule: when it runs, and the task each run dispatches. */
export function ScheduleForm(props: { repositories: Repository[]; profiles: AgentProfile[]; members: Member[] }) {
  const { orgId, userId } = useOrg();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const formRef = useRef<HTMLFormElement>(null);
  const [cron, setCron] = useState('0 3 * * *');
  const [saved, setSaved] = useState<string | null>(null);
  const create = useMutation(
    trpc.schedule.create.mutationOptions({
      onSuccess: async (schedule) => {
        formRef.current?.reset();
        setSaved(`Added ${schedule.name}. Its first run is listed below.`);
        await queryClient.invalidateQueries({ queryKey: trpc.schedule.list.queryKey({ orgId }) });
      },
    }),
  );
  const errors = readFormErrors(create.error);
  const fields = errors.fields;
  const developers = props.members.filter((m) => RUNS_SESSIONS.has(m.role));

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaved(null);
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? '').trim();
    create.mutate({
      orgId,
      name: text('name'),
      cron,
      repositoryId: text('repositoryId'),
      agentProfileId: text('agentProfileId') || undefined,
      developerId: text('developerId'),
      taskType: text('taskType') as TaskType,
      title: text('title'),
      prompt: String(form.get('prompt') ?? ''),
    });
  }

  return (
    <RecordFormCard
      title="Add a schedule"
      formRef={formRef}
      onSubmit={onSubmit}
      onChange={() => setSaved(null)}
      onReset={() => setCron('0 3 * * *')}
      message={errors.message}
      saved={saved}
      isPending={create.isPending}
      submitLabel="Add schedule"
    >
      <div className="form-row">
        <Field label="Name" htmlFor="schedule-name" hint="Unique in the organization." errors={fields.name}>
          <input
            className="input"
            id="schedule-name"
            name="name"
            placeholder="Nightly dependency bump"
            maxLength={100}
            aria-invalid={Boolean(fields.name)}
          />
        </Field>
        <Field
          label="When (cron)"
          htmlFor="schedule-cron"
          hint="minute hour day-of-month month day-of-week, in the organization’s time zone."
          errors={fields.cron}
        >
          <input
            className="input mono-input"
            id="schedule-cron"
            value={cron}
            onChange={(e) => setCron(e.target.value)}
            aria-invalid={Boolean(fields.cron)}
          />
        </Field>
      </div>
      <fieldset className="checkbox-row fieldset-plain">
        <legend className="sr-only">Common schedules</legend>
        {PRESETS.map((preset) => (
          <button
            key={preset.cron}
            type="button"
            className="button button-small"
            aria-pressed={cron === preset.cron}
            onClick={() => {
              setCron(preset.cron);
              setSaved(null);
            }}
          >
            {preset.label}
          </button>
        ))}
      </fieldset>
      <div className="form-row">
        <Field label="Repository" htmlFor="schedule-repository" errors={fields.repositoryId}>
          <select className="select" id="schedule-repository" name="repositoryId">
            {props.repositories.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Agent" htmlFor="schedule-agent" errors={fields.agentProfileId}>
          <select className="select" id="schedule-agent" name="agentProfileId">
            {props.profiles.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </Field>
        <Field
          label="Runs for"
          htmlFor="schedule-developer"
          hint="The sessions count against this developer’s concurrency cap."
          errors={fields.developerId}
        >
          <select
            className="select"
            id="schedule-developer"
            name="developerId"
            defaultValue={developers.some((m) => m.userId === userId) ? userId : developers[0]?.userId}
          >
            {developers.map((m) => (
              <option key={m.userId} value={m.userId}>
                {m.userId === userId ? `${m.name ?? m.email} (you)` : (m.name ?? m.email)}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Task type" htmlFor="schedule-type" errors={fields.taskType}>
          <select className="select" id="schedule-type" name="taskType" defaultValue="STANDARD">
            {(Object.keys(TASK_TYPES) as TaskType[]).map((t) => (
              <option key={t} value={t}>
                {TASK_TYPES[t].label}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <Field label="Title" htmlFor="schedule-title" hint="Each run’s pull request is called this." errors={fields.title}>
        <input
          className="input"
          id="schedule-title"
          name="title"
          placeholder="Bump dependencies"
          maxLength={200}
          aria-invalid={Boolean(fields.title)}
        />
      </Field>
      <Field label="Prompt" htmlFor="schedule-prompt" hint="What the agent does on every run." errors={fields.prompt}>
        <textarea className="textarea" id="schedule-prompt" name="prompt" rows={6} aria-invalid={Boolean(fields.prompt)} />
      </Field>
    </RecordFormCard>
  );
}
