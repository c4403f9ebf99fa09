'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { icons } from './icons.tsx';

const SECTIONS = [
  {
    title: 'Agents',
    items: [
      { path: 'fleet', label: 'Fleet', icon: icons.fleet },
      { path: 'dispatch', label: 'Dispatch', icon: icons.dispatch },
    ],
  },
  {
    title: 'Insight',
    items: [
      { path: 'evidence', label: 'Evidence', icon: icons.evidence },
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
            const isActive = pathname === href || pathname.startsWith(`${href}/`);
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
