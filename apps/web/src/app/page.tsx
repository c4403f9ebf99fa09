import { redirect } from 'next/navigation';
import { requireViewer } from '~/server/viewer.ts';

// The front door: sign in, then create a first org, then the last org used.
export default async function Home() {
  const viewer = await requireViewer('/');
  const current = viewer.memberships.find((m) => m.orgId === viewer.lastOrgId) ?? viewer.memberships[0];
  if (!current) redirect('/orgs/new');
  redirect(`/o/${current.slug}/fleet`);
}
