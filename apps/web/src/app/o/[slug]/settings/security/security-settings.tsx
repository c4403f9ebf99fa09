'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { signOut } from 'next-auth/react';
import { type FormEvent, useRef } from 'react';
import { Field, FormMessage, readFormErrors } from '~/components/form.tsx';
import { formatDateTime, formatRelative } from '~/components/format.ts';
import { useTRPC } from '~/trpc/react.tsx';

export function SecuritySettings() {
  return (
    <>
      <BrowserSessions />
      <ChangePassword />
    </>
  );
}

const BROWSERS: [RegExp, string][] = [
  [/Edg\//, 'Edge'],
  [/Firefox\//, 'Firefox'],
  [/Chrom(e|ium)\//, 'Chrome'],
  [/Safari\//, 'Safari'],
  [/curl\//, 'curl'],
];
const SYSTEMS: [RegExp, string][] = [
  [/Windows/, 'Windows'],
  [/Android/, 'Android'],
  [/iPhone|iPad/, 'iOS'],
  [/Mac OS X/, 'macOS'],
  [/Linux/, 'Linux'],
];

/** "Chrome on Linux": enough to recognise a browser; the full string is in the tooltip. */
function describeBrowser(userAgent: string | null): string {
  if (!userAgent) return 'Unknown browser';
  const browser = BROWSERS.find(([pattern]) => pattern.test(userAgent))?.[1] ?? 'Browser';
  const system = SYSTEMS.find(([pattern]) => pattern.test(userAgent))?.[1];
  return system ? `${browser} on ${system}` : browser;
}

function BrowserSessions() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const sessions = useQuery(trpc.security.listSessions.queryOptions());
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.security.listSessions.queryKey() });
  const end = useMutation(
    trpc.security.endSession.mutationOptions({
      onSuccess: (result) => (result.endedCurrent ? signOut({ callbackUrl: '/signin' }) : refresh()),
    }),
  );
  const endOthers = useMutation(trpc.security.endOtherSessions.mutationOptions({ onSuccess: refresh }));
  const others = sessions.data?.filter((s) => !s.isCurrent).length ?? 0;

  return (
    <section className="card">
      <div className="card-header">
        <div>
          <h2>Where you are signed in</h2>
          <p className="muted">Every browser signed in to your account. Ending a session signs that browser out at once.</p>
        </div>
        {others > 0 ? (
          <button type="button" className="button button-small" disabled={endOthers.isPending} onClick={() => endOthers.mutate()}>
            {endOthers.isPending ? 'Ending…' : 'End all other sessions'}
          </button>
        ) : null}
      </div>
      <FormMessage message={sessions.error?.message ?? readFormErrors(end.error ?? endOthers.error).message} />
      {!sessions.data ? (
        sessions.error ? null : (
          <p className="empty">Loading…</p>
        )
      ) : (
        <table className="table" aria-label="Browser sessions">
          <thead>
            <tr>
              <th>Browser</th>
              <th>Address</th>
              <th>Signed in</th>
              <th>Last seen</th>
              <th className="actions">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {sessions.data.map((session) => (
              <tr key={session.id} data-testid="browser-session">
                <td title={session.userAgent ?? undefined}>
                  <strong>{describeBrowser(session.userAgent)}</strong>{' '}
                  {session.isCurrent ? <span className="badge badge-accent">This browser</span> : null}
                </td>
                <td className="mono">{session.ipAddress ?? <span className="faint">Unknown</span>}</td>
                <td>{formatDateTime(session.createdAt)}</td>
                <td>{formatRelative(session.lastSeenAt)}</td>
                <td className="actions">
                  <button
                    type="button"
                    className="button button-small button-danger"
                    disabled={end.isPending && end.variables?.browserSessionId === session.id}
                    onClick={() => end.mutate({ browserSessionId: session.id })}
                  >
                    {session.isCurrent ? 'Sign out' : 'End session'}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function ChangePassword() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const formRef = useRef<HTMLFormElement>(null);
  const change = useMutation(
    trpc.security.changePassword.mutationOptions({
      onSuccess: () => {
        formRef.current?.reset();
        return queryClient.invalidateQueries({ queryKey: trpc.security.listSessions.queryKey() });
      },
    }),
  );
  const errors = readFormErrors(change.error);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    change.mutate({ currentPassword: String(form.get('currentPassword') ?? ''), newPassword: String(form.get('newPassword') ?? '') });
  }

  const ended = change.data?.endedSessions ?? 0;
  return (
    <section className="card">
      <div className="card-header">
        <div>
          <h2>Change your password</h2>
          <p className="muted">Every other browser signed in to your account is signed out.</p>
        </div>
      </div>
      <form ref={formRef} className="card-body form" onSubmit={onSubmit} noValidate>
        <div className="form-row">
          <Field label="Current password" htmlFor="current-password" errors={errors.fields.currentPassword}>
            <input
              className="input"
              id="current-password"
              name="currentPassword"
              type="password"
              autoComplete="current-password"
              aria-invalid={Boolean(errors.fields.currentPassword)}
            />
          </Field>
          <Field label="New password" htmlFor="new-password" hint="At least 10 characters." errors={errors.fields.newPassword}>
            <input
              className="input"
              id="new-password"
              name="newPassword"
              type="password"
              autoComplete="new-password"
              aria-invalid={Boolean(errors.fields.newPassword)}
            />
          </Field>
        </div>
        <FormMessage message={errors.message} />
        <FormMessage
          tone="success"
          message={
            change.data
              ? `Your password was changed.${ended ? ` ${ended} other session${ended === 1 ? ' was' : 's were'} ended.` : ''}`
              : null
          }
        />
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={change.isPending}>
            {change.isPending ? 'Changing…' : 'Change password'}
          </button>
        </div>
      </form>
    </section>
  );
}
