import type { Metadata } from 'next';
import { Suspense } from 'react';
import { EvidenceView } from './evidence-view.tsx';

export const metadata: Metadata = { title: 'Evidence' };

export default function EvidencePage() {
  return (
    <Suspense fallback={<p className="muted">Loading…</p>}>
      <EvidenceView />
    </Suspense>
  );
}
