'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { icons } from './icons.tsx';

const SECTIONS = [
  {
    title: 'Agents',
    items: [
      // A session's page belongs to the fleet.
      { path: 'fleet', label: 'Fleet', icon: icons.fleet, alsoUnder: 'sessions' },
      { path: 'dispatch', label: 'Dispatch', icon: icons.dispatch },
    ],
  },
  {
    title: 'Insight',
    items: [
      { path: 'evidence', label: 'Evidence', icon: icons.evidence },
      { path: 'parallel', label: 'Parallel sessions', icon: icons.fleet },
      { path: 'variance', label: 'Variance', icon: icons.variance },
      { path: 'reports', label: 'Reports', icon: icons.reports },
      { path: 'exports', label: 'Exports', icon: icons.exports },
    ],
  },
  { title: 'Organization', items: [{ path: 'settings', label: 'Settings', icon: icons.settings }] },
];

export function SidebarNav(props: { slug: string }) {
  const pathname = usePathname();
  return (
    <nav className="nav" aria-label="Main">
      {SECTIONS.map((section) => (
        <div key={section.title} className="nav">
          <div className="nav-section">{section.title}</div>
          {section.items.map((item) => {
            const href = `/o/${props.slug}/${item.path}`;
            const isActive =
              pathname === href ||
              pathname.startsWith(`${href}/`) ||
              ('alsoUnder' in item && pathname.startsWith(`/o/${props.slug}/${item.alsoUnder}/`));
            return (
              <Link key={item.path} href={href} aria-current={isActive ? 'page' : undefined}>
                {item.icon}
                {item.label}
              </Link>
            );
          })}
        </div>
      ))}
    </nav>
  );
}
