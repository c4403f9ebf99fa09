import type { Metadata } from 'next';
import { RepositoriesSettings } from './repositories-settings.tsx';

export const metadata: Metadata = { title: 'Repositories' };

export default function RepositoriesPage() {
  return <RepositoriesSettings />;
}
