import Link from 'next/link';
import { AuthFrame } from '~/components/auth-frame.tsx';

export default function NotFound() {
  return (
    <AuthFrame title="Page not found" subtitle="This page does not exist, or you are not a member of the organization it belongs to.">
      <Link className="button button-primary button-block" href="/">
        Go to your organizations
      </Link>
    </AuthFrame>
  );
}
