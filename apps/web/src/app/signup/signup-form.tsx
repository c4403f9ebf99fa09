'use client';

import { useMutation } from '@tanstack/react-query';
import { signIn } from 'next-auth/react';
import { type FormEvent, useState } from 'react';
import { Field, FormMessage, readFormErrors } from '~/components/form.tsx';
import { useTRPC } from '~/trpc/react.tsx';

export function SignUpForm(props: { callbackUrl: string }) {
  const trpc = useTRPC();
  const signUp = useMutation(trpc.auth.signUp.mutationOptions());
  const [signInError, setSignInError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const errors = readFormErrors(signUp.error);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const input = {
      name: String(form.get('name') ?? '').trim(),
      email: String(form.get('email') ?? '').trim(),
      password: String(form.get('password') ?? ''),
    };
    setSignInError(null);
    setSubmitting(true);
    try {
      await signUp.mutateAsync(input);
    } catch {
      setSubmitting(false);
      return; // shown from signUp.error
    }
    const result = await signIn('credentials', {
      email: input.email,
      password: input.password,
      redirect: false,
      callbackUrl: props.callbackUrl,
    });
    if (!result?.ok || result.error) {
      setSubmitting(false);
      setSignInError('Your account was created, but signing in failed. Sign in with your new password.');
      return;
    }
    // Stay "submitting" while the next page loads.
    // A full page load: the client router may hold pages prefetched while signed out.
    window.location.assign(props.callbackUrl);
  }

  return (
    <form className="form" onSubmit={onSubmit} noValidate>
      <Field label="Name" htmlFor="name" errors={errors.fields.name}>
        <input className="input" id="name" name="name" autoComplete="name" aria-invalid={Boolean(errors.fields.name)} />
      </Field>
      <Field label="Work email" htmlFor="email" errors={errors.fields.email}>
        <input className="input" id="email" name="email" type="email" autoComplete="email" aria-invalid={Boolean(errors.fields.email)} />
      </Field>
      <Field label="Password" htmlFor="password" hint="At least 10 characters." errors={errors.fields.password}>
        <input
          className="input"
          id="password"
          name="password"
          type="password"
          autoComplete="new-password"
          aria-invalid={Boolean(errors.fields.password)}
        />
      </Field>
      <FormMessage message={errors.message ?? signInError} />
      <button type="submit" className="button button-primary button-block" disabled={submitting}>
        {submitting ? 'Creating account…' : 'Create account'}
      </button>
    </form>
  );
}
