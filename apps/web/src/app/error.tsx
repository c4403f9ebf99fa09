'use client';

import Link from 'next/link';
import { AuthFrame } from '~/components/auth-frame.tsx';

// Unexpected failures only: user mistakes are answered next to the form that made them.
export default function ErrorPage(props: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <AuthFrame
      title="Something went wrong"
      subtitle="The page could not be shown. Try again; if it keeps failing, the reference below helps whoever runs Parallax find the cause."
    >
      {props.error.digest ? <p className="notice mono">Reference: {props.error.digest}</p> : null}
      <div className="form-actions">
        <button type="button" className="button button-primary" onClick={props.reset}>
          Try again
        </button>
        <Link className="button" href="/">
          Go to Parallax
        </Link>
      </div>
    </AuthFrame>
  );
}
