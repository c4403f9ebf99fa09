'use client';

import Link from 'next/link';
import { ROLE_LABELS, type Role } from '../roles.ts';
import { icons } from './icons.tsx';
import { initials, Menu } from './menu.tsx';

interface OrgChoice {
  orgId: string;
  slug: string;
  name: string;
  role: Role;
}

export function OrgSwitcher(props: { current: OrgChoice; memberships: OrgChoice[] }) {
  const { current } = props;
  return (
    <Menu
      label="Switch organization"
      trigger={
        <>
          <span className="avatar avatar-square" aria-hidden>
            {initials(current.name)}
          </span>
          <span className="menu-trigger-text">
            <strong>{current.name}</strong>
            <span>{ROLE_LABELS[current.role]}</span>
          </span>
          {icons.chevron}
        </>
      }
    >
      <div className="menu-label">Organizations</div>
      {props.memberships.map((m) => (
        <Link key={m.orgId} href={`/o/${m.slug}/fleet`} className="menu-item" role="menuitem" aria-current={m.orgId === current.orgId}>
          <span>{m.name}</span>
          {m.orgId === current.orgId ? icons.check : null}
        </Link>
      ))}
      <div className="menu-separator" />
      <Link href="/orgs/new" className="menu-item" role="menuitem">
        <span>New organization</span>
        {icons.plus}
      </Link>
    </Menu>
  );
}
