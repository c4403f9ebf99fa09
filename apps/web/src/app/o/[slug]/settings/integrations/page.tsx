import type { Metadata } from 'next';
import { IntegrationsSettings } from './integrations-settings.tsx';

export const metadata: Metadata = { title: 'Integrations' };

export default function IntegrationsPage() {
  return <IntegrationsSettings />;
}
