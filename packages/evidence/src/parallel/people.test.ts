// Ties among anonymous rows must not come out in id order (ids may be time-ordered): they are
// put in an order of a hash of org and id; named rows tie by id; rows that do not tie keep the
// order their figures gave them.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { orderTies } from './people.ts';

const rows = [
  { developerId: 'u-9', max: 5 },
  { developerId: 'u-1', max: 3 },
  { developerId: 'u-2', max: 3 },
  { developerId: 'u-3', max: 3 },
  { developerId: 'u-4', max: 3 },
  { developerId: 'u-0', max: 1 },
];
const same = (a: { max: number }, b: { max: number }) => a.max === b.max;

describe('orderTies', () => {
  it('orders named ties by id and keeps the figures’ order between groups', () => {
    const shuffled = [rows[0]!, rows[3]!, rows[1]!, rows[4]!, rows[2]!, rows[5]!];
    expect(orderTies(shuffled, 'named', 'org-a', same).map((r) => r.developerId)).toEqual(['u-9', 'u-1', 'u-2', 'u-3', 'u-4', 'u-0']);
  });

  it('orders anonymous ties by a hash of org and id, which differs from org to org', () => {
    const hashed = (org: string) =>
      ['u-1', 'u-2', 'u-3', 'u-4'].sort((a, b) => {
        const h = (id: string) => createHash('sha256').update(`${org}/${id}`).digest('hex');
        return h(a) < h(b) ? -1 : 1;
      });
    for (const org of ['org-a', 'org-b']) {
      const got = orderTies(rows, 'anonymous', org, same).map((r) => r.developerId);
      expect(got).toEqual(['u-9', ...hashed(org), 'u-0']);
    }
    // Not simply the id order for both orgs (else the hash would say nothing new).
    expect([hashed('org-a'), hashed('org-b')]).not.toEqual([
      ['u-1', 'u-2', 'u-3', 'u-4'],
      ['u-1', 'u-2', 'u-3', 'u-4'],
    ]);
  });
});
