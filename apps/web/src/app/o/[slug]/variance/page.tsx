import type { Metadata } from 'next';
import { Suspense } from 'react';
import { VarianceBoard } from './variance-board.tsx';

export const metadata: Metadata = { title: 'Variance' };

export default function VariancePage() {
  // The scope lives in the URL (useSearchParams), which needs a Suspense boundary to prerender.
  return (
    <Suspense fallback={<p className="muted">Loading…</p>}>
      <VarianceBoard />
    </Suspense>
  );
}
