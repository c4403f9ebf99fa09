import type { Metadata } from 'next';
import { NotBuilt } from '~/components/not-built.tsx';

export const metadata: Metadata = { title: 'Reports' };

export default function ReportsPage() {
  return (
    <NotBuilt
      title="Reports"
      summary="The maturity report for heads of engineering."
      willShow={[
        'The five L4 criteria per team and for the org: pass or fail, value, trend',
        'The evidence behind each criterion and what to do next',
        'The same report as a PDF',
      ]}
    />
  );
}
