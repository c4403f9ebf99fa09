import type { Metadata } from 'next';
import Link from 'next/link';
import { AuthFrame } from '~/components/auth-frame.tsx';
import { safeCallbackUrl } from '~/server/callback-url.ts';
import { isGitHubConfigured } from '~/server/auth.ts';
import { SignInForm } from './signin-form.tsx';

export const metadata: Metadata = { title: 'Sign in' };

// Errors next-auth puts in the URL after a failed redirect-based sign-in (GitHub).
const REDIRECT_ERRORS: Record<string, string> = {
  OAuthAccountNotLinked: 'That email already belongs to an account that signs in another way. Sign in with your password.',
  AccessDenied: 'Access was denied.',
  GitHubNoEmail: 'GitHub did not share an email address. Make one visible on GitHub, or sign up with a password.',
  CredentialsSignin: 'The email or password is incorrect.',
};

export default async function SignInPage(props: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const searchParams = await props.searchParams;
  const callbackUrl = safeCallbackUrl(searchParams.callbackUrl);
  const errorCode = typeof searchParams.error === 'string' ? searchParams.error : null;
  const initialError = errorCode ? (REDIRECT_ERRORS[errorCode] ?? 'Sign-in failed. Try again.') : null;
  const signUpHref = `/signup?${new URLSearchParams({ callbackUrl })}`;
  return (
    <AuthFrame
      title="Sign in"
      subtitle={
        callbackUrl.startsWith('/invite/') ? 'Sign in, or create an account, to accept your invitation.' : 'Welcome back to Parallax.'
      }
      footer={
        <>
          New to Parallax? <Link href={signUpHref}>Create an account</Link>
        </>
      }
    >
      <SignInForm callbackUrl={callbackUrl} showGitHub={isGitHubConfigured} initialError={initialError} />
    </AuthFrame>
  );
}
