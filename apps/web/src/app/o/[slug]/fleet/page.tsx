import type { Metadata } from 'next';
import { NotBuilt } from '~/components/not-built.tsx';

export const metadata: Metadata = { title: 'Fleet' };

export default function FleetPage() {
  return (
    <NotBuilt
      title="Fleet"
      summary="The agent sessions of this organization, live."
      willShow={[
        'Sessions running now, per developer, with their state: queued, running, needs review, checks failed, PR open, merged',
        'The admission queue against the developer and org concurrency caps',
        'SLA clocks for every open invocation, and breaches as they happen',
      ]}
    />
  );
}
