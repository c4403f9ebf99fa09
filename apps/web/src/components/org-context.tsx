'use client';

import type { Role } from '@parallax/db';
import type { Permission } from '@parallax/tenancy';
import { createContext, type ReactNode, useContext } from 'react';

export type { Permission, Role };

export interface CurrentOrg {
  orgId: string;
  slug: string;
  name: string;
  role: Role;
  /** The viewer's own user id: to mark "you" in lists. */
  userId: string;
  /** What the viewer's role may do here, decided on the server by @parallax/tenancy's `can`. */
  permissions: Permission[];
}

const OrgContext = createContext<CurrentOrg | null>(null);

/** The org named by the URL, resolved on the server from the viewer's memberships. */
export function OrgProvider(props: { org: CurrentOrg; children: ReactNode }) {
  return <OrgContext.Provider value={props.org}>{props.children}</OrgContext.Provider>;
}

export function useOrg(): CurrentOrg {
  const org = useContext(OrgContext);
  if (!org) throw new Error('useOrg() is only available under /o/[slug]');
  return org;
}

/** Whether the viewer may do `permission` in the current org (the server checks again). */
export function useCan(permission: Permission): boolean {
  return useOrg().permissions.includes(permission);
}
