import type { Metadata } from 'next';
import { NotBuilt } from '~/components/not-built.tsx';

export const metadata: Metadata = { title: 'Dispatch' };

export default function DispatchPage() {
  return (
    <NotBuilt
      title="Dispatch"
      summary="Send tasks to agents from the web."
      willShow={[
        'A dispatch form: repository, task, agent profile, task type',
        'Batch dispatch of several tasks at once, with the overlap check that suggests running overlapping tasks in sequence',
        'Best-of-N and writer/reviewer runs',
      ]}
    />
  );
}
