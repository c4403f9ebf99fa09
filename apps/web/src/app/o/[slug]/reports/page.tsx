import type { Metadata } from 'next';
import { Suspense } from 'react';
import { MaturityReportView } from './maturity-report.tsx';

export const metadata: Metadata = { title: 'Maturity report' };

export default function ReportsPage() {
  return (
    <Suspense fallback={<p className="muted">Loading…</p>}>
      <MaturityReportView />
    </Suspense>
  );
}
