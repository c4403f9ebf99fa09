import type { Metadata } from 'next';
import { TeamsSettings } from './teams-settings.tsx';

export const metadata: Metadata = { title: 'Teams' };

export default function TeamsPage() {
  return <TeamsSettings />;
}
