'use client';

import { signIn } from 'next-auth/react';
import { type FormEvent, useState } from 'react';
import { Field, FormMessage } from '~/components/form.tsx';

export function SignInForm(props: { callbackUrl: string; showGitHub: boolean; initialError: string | null }) {
  const [error, setError] = useState(props.initialError);
  const [fieldErrors, setFieldErrors] = useState<{ email?: string[]; password?: string[] }>({});
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = String(form.get('email') ?? '').trim();
    const password = String(form.get('password') ?? '');
    const missing = {
      email: email ? undefined : ['Enter your email address.'],
      password: password ? undefined : ['Enter your password.'],
    };
    setFieldErrors(missing);
    setError(null);
    if (missing.email || missing.password) return;
    setPending(true);
    const result = await signIn('credentials', { email, password, redirect: false, callbackUrl: props.callbackUrl }).catch(() => null);
    if (result?.ok && !result.error) {
      // A full page load (staying "pending" meanwhile): the client router may hold pages prefetched while signed out.
      window.location.assign(props.callbackUrl);
      return;
    }
    setPending(false);
    if (!result) setError('Could not reach the server. Check your connection and try again.');
    // next-auth reports a rejected password as "CredentialsSignin" and passes other errors' messages (a rate limit) through.
    else setError(!result.error || result.error === 'CredentialsSignin' ? 'The email or password is incorrect.' : result.error);
  }

  return (
    <>
      {props.showGitHub ? (
        <>
          <button type="button" className="button button-block" onClick={() => signIn('github', { callbackUrl: props.callbackUrl })}>
            Sign in with GitHub
          </button>
          <div className="divider">or with your email</div>
        </>
      ) : null}
      <form className="form" onSubmit={onSubmit} noValidate>
        <Field label="Email" htmlFor="email" errors={fieldErrors.email}>
          <input className="input" id="email" name="email" type="email" autoComplete="email" aria-invalid={Boolean(fieldErrors.email)} />
        </Field>
        <Field label="Password" htmlFor="password" errors={fieldErrors.password}>
          <input
            className="input"
            id="password"
            name="password"
            type="password"
            autoComplete="current-password"
            aria-invalid={Boolean(fieldErrors.password)}
          />
        </Field>
        <FormMessage message={error} />
        <button type="submit" className="button button-primary button-block" disabled={pending}>
          {pending ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </>
  );
}
