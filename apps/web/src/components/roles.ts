// How roles read in the interface. What each role may do is decided by @parallax/tenancy.
import type { Role } from '@parallax/db';

export type { Role };

// The roles module of tenancy is free of Prisma, so client components may import it.
export { ROLES } from '@parallax/tenancy/roles';

export const ROLE_LABELS: Record<Role, string> = {
  OWNER: 'Owner',
  ADMIN: 'Admin',
  LEAD: 'Lead',
  DEVELOPER: 'Developer',
  AUDITOR: 'Auditor',
};

export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  OWNER: 'Everything, including granting the owner role',
  ADMIN: 'Manages members, settings, integrations and tokens',
  LEAD: 'Sees every developer of the organization',
  DEVELOPER: 'Dispatches agents; sees own sessions and team aggregates',
  AUDITOR: 'Read-only evidence and exports',
};
