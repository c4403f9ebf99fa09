import type { Metadata } from 'next';
import { NotBuilt } from '~/components/not-built.tsx';

export const metadata: Metadata = { title: 'Variance' };

export default function VariancePage() {
  return (
    <NotBuilt
      title="Variance"
      summary="Why some developers get more from parallel agents than others."
      willShow={[
        "Each developer's throughput multiplier against their own single-agent baseline",
        'Team distributions first: median, IQR, coefficient of variation, outliers',
        'The factors that go with it: parallelism, intervention rate, task mix, SLA hits (individual rows only for roles allowed to see them)',
      ]}
    />
  );
}
