import type { Metadata } from 'next';
import { InvitesCard } from './invites-card.tsx';
import { MembersCard } from './members-card.tsx';

export const metadata: Metadata = { title: 'Members' };

export default function MembersPage() {
  return (
    <>
      <MembersCard />
      <InvitesCard />
    </>
  );
}
