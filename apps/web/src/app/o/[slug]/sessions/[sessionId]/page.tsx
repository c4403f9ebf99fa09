import type { Metadata } from 'next';
import { SessionView } from './session-view.tsx';

export const metadata: Metadata = { title: 'Session' };

export default async function SessionPage(props: { params: Promise<{ sessionId: string }> }) {
  const { sessionId } = await props.params;
  return <SessionView sessionId={sessionId} />;
}
