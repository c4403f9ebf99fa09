import { describe, it, expect } from 'vitest';
import { slugify, ZSlug } from './slug.ts';
import { can, rolesWith } from './roles.ts';

describe('slugify', () => {
  it('makes a URL name from an org name', () => {
    expect(slugify('Acme Robotics, Inc.')).toBe('acme-robotics-inc');
    expect(slugify('Café Zürich')).toBe('cafe-zurich');
  });

  it('always returns a slug that passes validation', () => {
    for (const name of ['A', '!!', '日本語チーム', 'x'.repeat(100), '--a--b--']) {
      expect(ZSlug.safeParse(slugify(name)).success, name).toBe(true);
    }
  });
});

describe('roles', () => {
  it('lets only owners and admins manage members, and auditors read the audit log', () => {
    expect(rolesWith('members:manage')).toEqual(['OWNER', 'ADMIN']);
    expect(rolesWith('teams:manage')).toEqual(['OWNER', 'ADMIN', 'LEAD']);
    expect(can('AUDITOR', 'audit:read')).toBe(true);
    expect(can('DEVELOPER', 'individuals:read')).toBe(false);
  });
});
