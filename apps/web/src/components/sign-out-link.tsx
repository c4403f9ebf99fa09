'use client';

import { signOut } from 'next-auth/react';
import type { ReactNode } from 'react';

export function SignOutLink(props: { callbackUrl: string; children: ReactNode }) {
  return (
    <button type="button" className="link-button" onClick={() => signOut({ callbackUrl: props.callbackUrl })}>
      {props.children}
    </button>
  );
}
