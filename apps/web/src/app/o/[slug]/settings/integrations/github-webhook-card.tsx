'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { CopyField } from '~/components/copy-field.tsx';
import { Field, FormMessage, readFormErrors } from '~/components/form.tsx';
import { formatDateTime } from '~/components/format.ts';
import { useOrg } from '~/components/org-context.tsx';
import { useTRPC } from '~/trpc/react.tsx';

/** The org's GitHub webhook: the URL to paste, its secret (generated and shown once here), and the recent deliveries. */
export function GitHubWebhookCard() {
  const { orgId } = useOrg();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const github = useQuery(trpc.integration.github.queryOptions({ orgId }));
  const generate = useMutation(
    trpc.integration.generateGitHubSecret.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.integration.github.queryKey({ orgId }) }),
    }),
  );
  const errors = readFormErrors(generate.error);
  // The URL names this server as the browser reaches it; known only in the browser.
  const [origin, setOrigin] = useState('');
  useEffect(() => setOrigin(window.location.origin), []);
  const secret = github.data?.secret ?? null;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const hours = String(new FormData(event.currentTarget).get('overlapHours') ?? '');
    generate.mutate({ orgId, ...(secret && hours ? { overlapHours: Number(hours) } : {}) });
  }

  return (
    <section className="card" data-testid="github-webhook">
      <div className="card-header">
        <div>
          <h2>GitHub webhook</h2>
          <p className="muted">
            Tells Parallax at once when a pull request it opened is merged or closed. In the repository’s (or GitHub App’s) webhook
            settings, paste this URL, choose <code>application/json</code> and the <em>Pull requests</em> event, and paste the secret.
          </p>
        </div>
      </div>
      <div className="card-body form">
        {github.data ? <CopyField value={`${origin}${github.data.webhookPath}`} label="Webhook URL" /> : null}
        <FormMessage message={github.error?.message} />
        {github.data ? (
          <p data-testid="webhook-secret-status">
            {secret ? (
              <>
                Secret <span className="mono">{secret.hint}</span>, set {formatDateTime(secret.rotatedAt ?? secret.createdAt)}.
                {secret.previousValidUntil ? ` The previous secret also verifies until ${formatDateTime(secret.previousValidUntil)}.` : ''}
              </>
            ) : (
              'No secret yet: GitHub’s deliveries are refused until you generate one.'
            )}
          </p>
        ) : null}
        <form className="form" onSubmit={onSubmit} noValidate>
          {secret ? (
            <Field
              label="Keep the previous secret valid for"
              htmlFor="overlap-hours"
              hint="Deliveries signed with either secret are accepted meanwhile, so none are lost while you update GitHub."
              errors={errors.fields.overlapHours}
            >
              <select className="select" id="overlap-hours" name="overlapHours" defaultValue="24">
                <option value="0">no overlap</option>
                <option value="1">1 hour</option>
                <option value="24">24 hours</option>
                <option value="168">7 days</option>
              </select>
            </Field>
          ) : null}
          <FormMessage message={errors.message} />
          <div className="form-actions">
            <button type="submit" className="button button-primary" disabled={generate.isPending || !github.data}>
              {generate.isPending ? 'Generating…' : secret ? 'Rotate secret' : 'Generate secret'}
            </button>
          </div>
        </form>
        {generate.data ? (
          <div className="notice notice-success form" data-testid="new-webhook-secret">
            <p>Copy the secret now and paste it into GitHub: it is shown only once.</p>
            <CopyField value={generate.data.secret} label="New webhook secret" />
          </div>
        ) : null}
      </div>
      <Deliveries deliveries={github.data?.deliveries} />
    </section>
  );
}

type Delivery = {
  id: string;
  accepted: boolean;
  reason: string | null;
  event: string | null;
  sourceAddress: string | null;
  receivedAt: Date;
};

function Deliveries(props: { deliveries: Delivery[] | undefined }) {
  if (!props.deliveries) return null;
  if (props.deliveries.length === 0) return <p className="empty">No deliveries yet.</p>;
  return (
    <table className="table" data-testid="webhook-deliveries">
      <thead>
        <tr>
          <th>Received</th>
          <th>Event</th>
          <th>Outcome</th>
          <th>From</th>
        </tr>
      </thead>
      <tbody>
        {props.deliveries.map((d) => (
          <tr key={d.id}>
            <td>{formatDateTime(d.receivedAt)}</td>
            <td className="mono">{d.event ?? '—'}</td>
            <td>
              <span className={d.accepted ? 'badge badge-accent' : 'badge badge-danger'}>{d.accepted ? 'Accepted' : 'Refused'}</span>{' '}
              <span className="muted">{d.reason}</span>
            </td>
            <td className="mono">{d.sourceAddress ?? '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
