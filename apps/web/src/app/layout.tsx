import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { TRPCReactProvider } from '~/trpc/react.tsx';
// One stylesheet in parts, in cascade order: later parts build on the earlier ones.
import './globals.css';
import '../styles/shell.css';
import '../styles/components.css';
import '../styles/fleet.css';
import '../styles/session.css';
import '../styles/evidence.css';
import '../styles/report.css';

export const metadata: Metadata = {
  title: { default: 'Parallax', template: '%s · Parallax' },
  description: 'Run fleets of AI coding agents and gather the evidence of L4 parallel-agent maturity.',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <TRPCReactProvider>{children}</TRPCReactProvider>
      </body>
    </html>
  );
}
