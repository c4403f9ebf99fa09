import type { Metadata } from 'next';
import { SecuritySettings } from './security-settings.tsx';

export const metadata: Metadata = { title: 'Security' };

// The signed-in person's own account, whichever org's settings it is reached from.
export default function SecurityPage() {
  return <SecuritySettings />;
}
