import type { Metadata } from 'next';
import Link from 'next/link';
import { AuthFrame } from '~/components/auth-frame.tsx';
import { safeCallbackUrl } from '~/server/callback-url.ts';
import { SignUpForm } from './signup-form.tsx';

export const metadata: Metadata = { title: 'Create an account' };

export default async function SignUpPage(props: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const callbackUrl = safeCallbackUrl((await props.searchParams).callbackUrl);
  return (
    <AuthFrame
      title="Create your account"
      subtitle="Run agent fleets and see where your teams stand."
      footer={
        <>
          Already have an account? <Link href={`/signin?${new URLSearchParams({ callbackUrl })}`}>Sign in</Link>
        </>
      }
    >
      <SignUpForm callbackUrl={callbackUrl} />
    </AuthFrame>
  );
}
