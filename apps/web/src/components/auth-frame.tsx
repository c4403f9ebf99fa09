import Link from 'next/link';
import type { ReactNode } from 'react';

/** The centered card used by the pages outside an org: sign in, sign up, invites, new org. */
export function AuthFrame(props: { title: string; subtitle?: ReactNode; children: ReactNode; footer?: ReactNode }) {
  return (
    <main className="auth-page">
      <Link href="/" className="auth-brand">
        <span className="logo-mark" aria-hidden>
          P
        </span>
        Parallax
      </Link>
      <section className="auth-card">
        <header>
          <h1>{props.title}</h1>
          {props.subtitle ? <p className="muted">{props.subtitle}</p> : null}
        </header>
        {props.children}
      </section>
      {props.footer ? <div className="auth-footer">{props.footer}</div> : null}
    </main>
  );
}
