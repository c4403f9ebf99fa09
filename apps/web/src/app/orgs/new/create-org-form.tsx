'use client';

import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { type FormEvent, useState } from 'react';
import { Field, FormMessage, readFormErrors } from '~/components/form.tsx';
import { useTRPC } from '~/trpc/react.tsx';

/** What the server will derive when the slug is left empty; shown as the placeholder. */
function suggestSlug(name: string): string {
  return name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
}

export function CreateOrgForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const [name, setName] = useState('');
  const create = useMutation(
    trpc.org.create.mutationOptions({
      onSuccess: (org) => {
        router.push(`/o/${org.slug}/fleet`);
        router.refresh();
      },
    }),
  );
  const errors = readFormErrors(create.error);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const slug = String(form.get('slug') ?? '').trim();
    create.mutate({ name: name.trim(), ...(slug ? { slug } : {}) });
  }

  return (
    <form className="form" onSubmit={onSubmit} noValidate>
      <Field label="Organization name" htmlFor="org-name" errors={errors.fields.name}>
        <input
          className="input"
          id="org-name"
          name="name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          placeholder="Acme Engineering"
          aria-invalid={Boolean(errors.fields.name)}
        />
      </Field>
      <Field
        label="URL"
        htmlFor="org-slug"
        hint="Lowercase letters, digits and dashes. Leave empty to derive it from the name."
        errors={errors.fields.slug}
      >
        <input
          className="input"
          id="org-slug"
          name="slug"
          placeholder={suggestSlug(name) || 'acme'}
          aria-invalid={Boolean(errors.fields.slug)}
        />
      </Field>
      <FormMessage message={errors.message} />
      <button type="submit" className="button button-primary button-block" disabled={create.isPending || create.isSuccess}>
        {create.isPending || create.isSuccess ? 'Creating…' : 'Create organization'}
      </button>
    </form>
  );
}
