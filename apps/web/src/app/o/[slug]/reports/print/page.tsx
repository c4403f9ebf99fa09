import type { Metadata } from 'next';
import { Suspense } from 'react';
import { MaturityReportView } from '../maturity-report.tsx';

// The report as the PDF shows it (the server prints this page in headless Chromium, with the
// requester's session): a title block, no scope bar, no buttons, and a readiness marker.
export const metadata: Metadata = { title: 'Maturity report (print)', robots: { index: false } };

export default function ReportPrintPage() {
  return (
    <Suspense fallback={<p className="muted">Loading…</p>}>
      <MaturityReportView print />
    </Suspense>
  );
}
