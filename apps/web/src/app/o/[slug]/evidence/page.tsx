import type { Metadata } from 'next';
import { NotBuilt } from '~/components/not-built.tsx';

export const metadata: Metadata = { title: 'Evidence' };

export default function EvidencePage() {
  return (
    <NotBuilt
      title="Evidence"
      summary="The L4 criteria and the records behind them."
      willShow={[
        'Parallel sessions per developer per day: max and time-weighted mean concurrency, as a heatmap',
        'Completion without intervention, PRs within SLA, channels used, agent PRs merged without synchronous oversight',
        'Per developer, team and org, over time, with links to the invocations and pull requests behind each number',
      ]}
    />
  );
}
