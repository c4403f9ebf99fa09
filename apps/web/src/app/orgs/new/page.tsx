import type { Metadata } from 'next';
import Link from 'next/link';
import { AuthFrame } from '~/components/auth-frame.tsx';
import { SignOutLink } from '~/components/sign-out-link.tsx';
import { requireViewer } from '~/server/viewer.ts';
import { CreateOrgForm } from './create-org-form.tsx';

export const metadata: Metadata = { title: 'New organization' };

export default async function NewOrgPage() {
  const viewer = await requireViewer('/orgs/new');
  const isFirst = viewer.memberships.length === 0;
  return (
    <AuthFrame
      title={isFirst ? 'Create your organization' : 'New organization'}
      subtitle={
        isFirst
          ? 'An organization holds your teams, repositories and agent fleet. You can invite colleagues next.'
          : 'Each organization has its own members, fleet and evidence.'
      }
      footer={
        <>
          <p>
            {isFirst ? (
              "Joining a colleague's organization? Open the invite link they sent you."
            ) : (
              <Link href="/">Back to your organizations</Link>
            )}
          </p>
          <p>
            Signed in as {viewer.user.email} · <SignOutLink callbackUrl="/signin">Sign out</SignOutLink>
          </p>
        </>
      }
    >
      <CreateOrgForm />
    </AuthFrame>
  );
}
