// What each role may do. PRODUCT.md §1: OWNER and ADMIN administer the org; LEAD sees
// every developer and manages teams; DEVELOPER sees their own sessions and team
// aggregates; AUDITOR reads evidence and exports, read-only.
import type { Role } from '@parallax/db';

export const ROLES = ['OWNER', 'ADMIN', 'LEAD', 'DEVELOPER', 'AUDITOR'] as const satisfies readonly Role[];

export const PERMISSIONS = [
  'org:update',
  'members:manage',
  'invites:manage',
  'teams:manage',
  'tokens:manage-all',
  'audit:read',
  'individuals:read',
  'sessions:dispatch',
  'sessions:read-all',
  'fleet:configure',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const GRANTS: Record<Role, readonly Permission[]> = {
  OWNER: [...PERMISSIONS],
  ADMIN: [...PERMISSIONS],
  LEAD: ['teams:manage', 'individuals:read', 'sessions:dispatch', 'sessions:read-all'],
  DEVELOPER: ['sessions:dispatch'],
  AUDITOR: ['audit:read', 'sessions:read-all'],
};

export function can(role: Role, permission: Permission): boolean {
  return GRANTS[role].includes(permission);
}

/** Roles that hold a permission: what an API procedure declares it needs. */
export function rolesWith(permission: Permission): Role[] {
  return ROLES.filter((r) => can(r, permission));
}
