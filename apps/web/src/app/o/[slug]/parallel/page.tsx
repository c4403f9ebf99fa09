import type { Metadata } from 'next';
import { ParallelBoard } from './parallel-board.tsx';

export const metadata: Metadata = { title: 'Parallel sessions' };

export default function ParallelPage() {
  return <ParallelBoard />;
}
