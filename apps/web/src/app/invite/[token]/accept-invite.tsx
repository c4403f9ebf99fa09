'use client';

import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { FormMessage, readFormErrors } from '~/components/form.tsx';
import { useTRPC } from '~/trpc/react.tsx';

export function AcceptInvite(props: { token: string; expiresAt: Date }) {
  const trpc = useTRPC();
  const router = useRouter();
  const accept = useMutation(
    trpc.invite.accept.mutationOptions({
      onSuccess: (org) => {
        router.push(`/o/${org.slug}/fleet`);
        router.refresh();
      },
    }),
  );
  const errors = readFormErrors(accept.error);
  return (
    <div className="form">
      <FormMessage message={errors.message} />
      <button
        type="button"
        className="button button-primary button-block"
        disabled={accept.isPending || accept.isSuccess}
        onClick={() => accept.mutate({ token: props.token })}
      >
        {accept.isPending || accept.isSuccess ? 'Joining…' : 'Accept invitation'}
      </button>
      <p className="field-hint" style={{ textAlign: 'center' }} suppressHydrationWarning>
        The invitation expires on {props.expiresAt.toLocaleDateString(undefined, { dateStyle: 'long' })}.
      </p>
    </div>
  );
}
