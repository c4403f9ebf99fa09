import type { Metadata } from 'next';
import { FleetBoard } from './fleet-board.tsx';

export const metadata: Metadata = { title: 'Fleet' };

export default function FleetPage() {
  return <FleetBoard />;
}
