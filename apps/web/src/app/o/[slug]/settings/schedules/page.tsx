import type { Metadata } from 'next';
import { SchedulesSettings } from './schedules-settings.tsx';

export const metadata: Metadata = { title: 'Schedules' };

export default function SchedulesPage() {
  return <SchedulesSettings />;
}
