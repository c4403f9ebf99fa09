'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useOrg } from './org-context.tsx';

export function SettingsTabs() {
  const org = useOrg();
  const pathname = usePathname();
  const base = `/o/${org.slug}/settings`;
  const tabs = [
    { href: base, label: 'General' },
    { href: `${base}/members`, label: 'Members' },
    { href: `${base}/teams`, label: 'Teams' },
    { href: `${base}/repositories`, label: 'Repositories' },
    { href: `${base}/agents`, label: 'Agents' },
    { href: `${base}/sla`, label: 'SLA' },
    { href: `${base}/schedules`, label: 'Schedules' },
    { href: `${base}/tokens`, label: 'API tokens' },
    ...(org.permissions.includes('org:update') ? [{ href: `${base}/integrations`, label: 'Integrations' }] : []),
    { href: `${base}/security`, label: 'Security' },
    ...(org.permissions.includes('audit:read') ? [{ href: `${base}/audit`, label: 'Audit log' }] : []),
  ];
  return (
    <nav className="tabs" aria-label="Settings">
      {tabs.map((tab) => (
        <Link key={tab.href} href={tab.href} aria-current={pathname === tab.href ? 'page' : undefined}>
          {tab.label}
        </Link>
      ))}
    </nav>
  );
}
