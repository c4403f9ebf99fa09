'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Field, FormMessage, readFormErrors } from '~/components/form.tsx';
import { useCan, useOrg } from '~/components/org-context.tsx';
import { hasEnded } from '~/components/sessions/status.tsx';
import { useTRPC } from '~/trpc/react.tsx';
import type { SessionDetail } from './session-view.tsx';

/** Steering a session: a course correction handed to the agent, or a cancel. Both are recorded with who did it. */
export function SessionControls(props: { session: SessionDetail }) {
  const { session } = props;
  const { orgId, role } = useOrg();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const canSteer = useCan('sessions:dispatch');
  const isOver = hasEnded(session.status);
  const [message, setMessage] = useState('');
  const [sent, setSent] = useState(false);
  const [isConfirming, setConfirming] = useState(false);
  const ref = { orgId, sessionId: session.id };
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.session.get.queryKey(ref) });
  const intervene = useMutation(
    trpc.session.intervene.mutationOptions({
      onSuccess: async () => {
        setMessage('');
        setSent(true);
        await refresh();
      },
    }),
  );
  const cancel = useMutation(
    trpc.session.cancel.mutationOptions({
      onSuccess: async () => {
        setConfirming(false);
        await refresh();
      },
    }),
  );
  const errors = readFormErrors(intervene.error);
  const isCancelling = cancel.isSuccess && cancel.data.cancelled && !isOver;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSent(false);
    intervene.mutate({ ...ref, message });
  }

  return (
    <section className="card" aria-label="Controls">
      <div className="card-header">
        <div>
          <h2>Steer</h2>
          <p className="muted">
            {isOver
              ? session.status === 'SUCCEEDED'
                ? 'This session has ended. To change its work, dispatch it again (top right).'
                : 'This session has ended. To try again, retry it (top right): the retry counts as an intervention.'
              : canSteer
                ? 'Both are recorded as done by you.'
                : `Your role (${role.toLowerCase()}) can watch but not steer sessions.`}
          </p>
        </div>
      </div>
      <form className="card-body form" onSubmit={onSubmit} noValidate>
        <fieldset className="form fieldset-plain" disabled={isOver || !canSteer || intervene.isPending}>
          <Field
            label="Correction"
            htmlFor="session-correction"
            hint="Handed to the agent where its adapter can take it, and counted as an intervention."
            errors={errors.fields.message}
          >
            <textarea
              className="textarea"
              id="session-correction"
              rows={4}
              value={message}
              onChange={(e) => {
                setMessage(e.target.value);
                setSent(false);
              }}
              placeholder="Use the existing date helpers instead of adding a library."
              aria-invalid={Boolean(errors.fields.message)}
            />
          </Field>
          <FormMessage message={errors.message} />
          <FormMessage message={sent ? 'Sent to the agent and recorded.' : null} tone="success" />
          <div className="form-actions">
            <button type="submit" className="button button-primary">
              {intervene.isPending ? 'Sending…' : 'Send correction'}
            </button>
          </div>
        </fieldset>
      </form>
      <div className="card-body control-danger">
        {isConfirming && !isOver ? (
          <div className="confirm" role="alertdialog" aria-label="Cancel this session?">
            <p>
              <strong>Cancel this session?</strong> The agent is stopped and its workspace cleaned up. This cannot be undone.
            </p>
            <div className="form-actions">
              <button type="button" className="button button-danger" disabled={cancel.isPending} onClick={() => cancel.mutate(ref)}>
                {cancel.isPending ? 'Cancelling…' : 'Yes, cancel it'}
              </button>
              <button type="button" className="button" onClick={() => setConfirming(false)}>
                Keep it running
              </button>
            </div>
          </div>
        ) : (
          <button
            type="button"
            className="button button-danger"
            disabled={isOver || !canSteer || isCancelling}
            onClick={() => setConfirming(true)}
          >
            {isCancelling ? 'Cancelling…' : 'Cancel session'}
          </button>
        )}
        <FormMessage message={readFormErrors(cancel.error).message} />
      </div>
    </section>
  );
}
