import Link from 'next/link';
import { connection } from 'next/server';
import { AuthFrame } from '~/components/auth-frame.tsx';

export default async function NotFound() {
  // Rendered per request, not prerendered: a static page cannot carry the CSP nonce of
  // the request (proxy.ts), and its scripts would be blocked.
  await connection();
  return (
    <AuthFrame title="Page not found" subtitle="This page does not exist, or you are not a member of the organization it belongs to.">
      <Link className="button button-primary button-block" href="/">
        Go to your organizations
      </Link>
    </AuthFrame>
  );
}
