import type { Metadata } from 'next';
import { AgentProfilesSettings } from './agent-profiles-settings.tsx';

export const metadata: Metadata = { title: 'Agents' };

export default function AgentsPage() {
  return <AgentProfilesSettings />;
}
