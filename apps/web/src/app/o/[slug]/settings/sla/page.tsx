import type { Metadata } from 'next';
import { SlaSettings } from './sla-settings.tsx';

export const metadata: Metadata = { title: 'SLA' };

export default function SlaPage() {
  return <SlaSettings />;
}
