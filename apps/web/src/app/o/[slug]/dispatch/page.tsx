import type { Metadata } from 'next';
import { DispatchForm } from './dispatch-form.tsx';

export const metadata: Metadata = { title: 'Dispatch' };

/** `?from=<sessionId>` pre-fills the form from an earlier session ("Dispatch again"). */
export default async function DispatchPage(props: { searchParams: Promise<{ from?: string | string[] }> }) {
  const { from } = await props.searchParams;
  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h1>Dispatch</h1>
          <p className="muted">Send a task to an agent. It runs unattended in its own workspace and ends in a pull request.</p>
        </div>
      </div>
      <DispatchForm fromSessionId={typeof from === 'string' && from ? from : null} />
    </div>
  );
}
