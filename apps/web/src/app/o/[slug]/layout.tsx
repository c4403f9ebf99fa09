import { can, PERMISSIONS } from '@parallax/tenancy';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { type CurrentOrg, OrgProvider } from '~/components/org-context.tsx';
import { OrgSwitcher } from '~/components/shell/org-switcher.tsx';
import { RememberOrg } from '~/components/shell/remember-org.tsx';
import { SidebarNav } from '~/components/shell/sidebar-nav.tsx';
import { UserMenu } from '~/components/shell/user-menu.tsx';
import { requireMembership } from '~/server/viewer.ts';

export default async function OrgShell(props: { children: ReactNode; params: Promise<{ slug: string }> }) {
  const { slug } = await props.params;
  const { viewer, membership } = await requireMembership(slug, `/o/${slug}/fleet`);
  const org: CurrentOrg = {
    orgId: membership.orgId,
    slug: membership.slug,
    name: membership.name,
    role: membership.role,
    userId: viewer.user.id,
    permissions: PERMISSIONS.filter((p) => can(membership.role, p)),
  };
  return (
    <OrgProvider org={org}>
      <div className="shell">
        <div className="sidebar-column">
          <aside className="sidebar">
            <Link href="/" className="sidebar-brand">
              <span className="logo-mark" aria-hidden>
                P
              </span>
              Parallax
            </Link>
            <OrgSwitcher current={org} memberships={viewer.memberships} />
            <SidebarNav slug={org.slug} />
            <div className="sidebar-bottom">
              <UserMenu user={viewer.user} />
            </div>
          </aside>
        </div>
        <main className="main">{props.children}</main>
      </div>
      <RememberOrg orgId={org.orgId} lastOrgId={viewer.lastOrgId} />
    </OrgProvider>
  );
}
