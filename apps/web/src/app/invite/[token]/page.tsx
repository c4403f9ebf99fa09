import { TRPCError } from '@trpc/server';
import type { Metadata } from 'next';
import Link from 'next/link';
import { AuthFrame } from '~/components/auth-frame.tsx';
import { ROLE_DESCRIPTIONS, ROLE_LABELS } from '~/components/roles.ts';
import { SignOutLink } from '~/components/sign-out-link.tsx';
import { requireViewer, signInUrl } from '~/server/viewer.ts';
import { api } from '~/trpc/server.ts';
import { AcceptInvite } from './accept-invite.tsx';

export const metadata: Metadata = { title: 'Invitation' };

export default async function InvitePage(props: { params: Promise<{ token: string }> }) {
  const { token } = await props.params;
  const viewer = await requireViewer(`/invite/${token}`);
  const preview = await api.invite.preview({ token }).catch((error: unknown) => {
    if (error instanceof TRPCError && (error.code === 'NOT_FOUND' || error.code === 'BAD_REQUEST')) return null;
    throw error;
  });

  if (!preview) {
    return (
      <AuthFrame title="Invite not found" subtitle="This invite link is not valid. Check that you copied all of it, or ask for a new one.">
        <Link className="button button-block" href="/">
          Go to Parallax
        </Link>
      </AuthFrame>
    );
  }

  const unusable = {
    ACCEPTED: 'This invite has already been used.',
    REVOKED: 'This invite was revoked.',
    EXPIRED: 'This invite has expired.',
    PENDING: null,
  }[preview.status];

  return (
    <AuthFrame
      title={`Join ${preview.orgName}`}
      subtitle={
        <>
          You have been invited as <strong>{ROLE_LABELS[preview.role]}</strong>: {ROLE_DESCRIPTIONS[preview.role].toLowerCase()}.
        </>
      }
      footer={
        <>
          Signed in as {viewer.user.email}. Not you?{' '}
          <SignOutLink callbackUrl={signInUrl(`/invite/${token}`)}>Use another account</SignOutLink>
        </>
      }
    >
      {preview.email && preview.email !== viewer.user.email.toLowerCase() ? (
        <p className="notice notice-warning">This invite is addressed to {preview.email}. Sign in with that account to accept it.</p>
      ) : null}
      {unusable ? (
        <>
          <p className="notice notice-error">
            {unusable} Ask an admin of {preview.orgName} for a new one.
          </p>
          <Link className="button button-block" href="/">
            Go to Parallax
          </Link>
        </>
      ) : (
        <AcceptInvite token={token} expiresAt={preview.expiresAt} />
      )}
    </AuthFrame>
  );
}
