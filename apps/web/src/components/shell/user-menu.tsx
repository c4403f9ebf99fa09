'use client';

import { signOut } from 'next-auth/react';
import { initials, Menu } from './menu.tsx';

export function UserMenu(props: { user: { name: string | null; email: string } }) {
  const { user } = props;
  return (
    <Menu
      label="Account"
      placement="up"
      trigger={
        <>
          <span className="avatar" aria-hidden>
            {initials(user.name || user.email)}
          </span>
          <span className="menu-trigger-text">
            <strong>{user.name || user.email}</strong>
            <span>{user.email}</span>
          </span>
        </>
      }
    >
      <div className="menu-label">Signed in as</div>
      <div className="menu-note">{user.email}</div>
      <div className="menu-separator" />
      <button type="button" className="menu-item" role="menuitem" onClick={() => signOut({ callbackUrl: '/signin' })}>
        Sign out
      </button>
    </Menu>
  );
}
