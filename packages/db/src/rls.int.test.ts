import { describe, it, expect, beforeAll } from 'vitest';
import pg from 'pg';
import { createDatabase } from './client.ts';
import { useTestDatabase, type DatabaseFixture } from './test-database.ts';

let fx: DatabaseFixture;
let owner: pg.Client;

async function seedOrg(id: string) {
  await owner.query(`INSERT INTO "Organization" (id, slug, name) VALUES ($1, $1, $1)`, [id]);
  await owner.query(`INSERT INTO "Team" (id, "orgId", name, slug) VALUES ($1, $2, 'Platform', 'platform')`, [`team-${id}`, id]);
  await owner.query(`INSERT INTO "User" (id, email, "updatedAt") VALUES ($1, $2, now())`, [`user-${id}`, `${id}@example.test`]);
  await owner.query(`INSERT INTO "Membership" (id, "orgId", "userId", role) VALUES ($1, $2, $3, 'OWNER')`, [`m-${id}`, id, `user-${id}`]);
  await owner.query(
    `INSERT INTO "Invite" (id, "orgId", "tokenHash", role, "createdById", "expiresAt") VALUES ($1, $2, $3, 'DEVELOPER', $4, now() + interval '1 day')`,
    [`inv-${id}`, id, `hash-${id}`, `user-${id}`],
  );
}

beforeAll(async () => {
  fx = await useTestDatabase();
  owner = new pg.Client({ connectionString: fx.ownerUrl });
  await owner.connect();
  await seedOrg('org-a');
  await seedOrg('org-b');
  return () => owner.end();
});

describe('a tenant transaction', () => {
  it("reads instants as UTC whatever the server's time zone, as Prisma stores them", async () => {
    // Raw queries bind a Date as a timestamp without zone and compare it with the UTC columns.
    const name = new URL(fx.appUrl).pathname.slice(1);
    await owner.query(`ALTER DATABASE "${name}" SET timezone TO 'America/New_York'`);
    const db = createDatabase(fx.appUrl, { maxConnections: 1 });
    try {
      const at = new Date('2026-05-04T09:30:00Z');
      const seen = await db.forOrg(
        'org-a',
        (tx) =>
          tx.$queryRaw<
            { tz: string; utc: string }[]
          >`SELECT current_setting('TimeZone') AS tz, ((${at}::timestamptz) AT TIME ZONE 'UTC')::text AS utc`,
      );
      expect(seen).toEqual([{ tz: 'UTC', utc: '2026-05-04 09:30:00' }]);
    } finally {
      await db.disconnect();
      await owner.query(`ALTER DATABASE "${name}" RESET timezone`);
    }
  });

  it('compiles nothing with JIT and starts no parallel workers, whatever the server says (both cost more than the statements)', async () => {
    const name = new URL(fx.appUrl).pathname.slice(1);
    await owner.query(`ALTER DATABASE "${name}" SET jit TO on`);
    await owner.query(`ALTER DATABASE "${name}" SET max_parallel_workers_per_gather TO 4`);
    const db = createDatabase(fx.appUrl, { maxConnections: 1 });
    try {
      const inside = await db.forOrg(
        'org-a',
        (tx) =>
          tx.$queryRaw<
            { jit: string; workers: string }[]
          >`SELECT current_setting('jit') AS jit, current_setting('max_parallel_workers_per_gather') AS workers`,
      );
      expect(inside).toEqual([{ jit: 'off', workers: '0' }]);
    } finally {
      await db.disconnect();
      await owner.query(`ALTER DATABASE "${name}" RESET jit`);
      await owner.query(`ALTER DATABASE "${name}" RESET max_parallel_workers_per_gather`);
    }
  });
});

describe('row-level security', () => {
  it('shows no tenant row to a query with no org set', async () => {
    const seen = await fx.db.scoped({}, async (tx) => ({
      orgs: await tx.organization.count(),
      teams: await tx.team.count(),
      memberships: await tx.membership.count(),
      invites: await tx.invite.count(),
    }));
    expect(seen).toEqual({ orgs: 0, teams: 0, memberships: 0, invites: 0 });
  });

  it("lets org A read its own rows and none of org B's", async () => {
    const teams = await fx.db.forOrg('org-a', (tx) => tx.team.findMany());
    expect(teams.map((t) => t.orgId)).toEqual(['org-a']);
    const orgB = await fx.db.forOrg('org-a', (tx) => tx.organization.findUnique({ where: { id: 'org-b' } }));
    expect(orgB).toBeNull();
  });

  it("cannot update or delete org B's rows from org A's context", async () => {
    const updated = await fx.db.forOrg('org-a', (tx) => tx.team.updateMany({ where: { orgId: 'org-b' }, data: { name: 'hijacked' } }));
    const deleted = await fx.db.forOrg('org-a', (tx) => tx.team.deleteMany({ where: { id: 'team-org-b' } }));
    expect(updated.count).toBe(0);
    expect(deleted.count).toBe(0);
    const { rows } = await owner.query(`SELECT name FROM "Team" WHERE id = 'team-org-b'`);
    expect(rows).toEqual([{ name: 'Platform' }]);
  });

  it("refuses an insert carrying another org's id", async () => {
    await expect(
      fx.db.forOrg('org-a', (tx) => tx.team.create({ data: { orgId: 'org-b', name: 'Sneaky', slug: 'sneaky' } })),
    ).rejects.toThrow(/row-level security|denied/i);
    const { rows } = await owner.query(`SELECT count(*)::int AS n FROM "Team" WHERE slug = 'sneaky'`);
    expect(rows[0].n).toBe(0);
  });

  it('refuses to move a row into another org', async () => {
    await expect(
      fx.db.forOrg('org-a', (tx) => tx.team.update({ where: { id: 'team-org-a' }, data: { orgId: 'org-b' } })),
    ).rejects.toThrow();
  });

  it('shows a user their own memberships of every org, and nobody else’s', async () => {
    const mine = await fx.db.scoped({ userId: 'user-org-a' }, (tx) => tx.membership.findMany());
    expect(mine.map((m) => m.orgId)).toEqual(['org-a']);
    const orgs = await fx.db.scoped({ userId: 'user-org-a' }, (tx) => tx.organization.findMany());
    expect(orgs.map((o) => o.id)).toEqual(['org-a']);
  });

  it('shows an invite only to the holder of its token', async () => {
    const found = await fx.db.scoped({ inviteTokenHash: 'hash-org-b' }, (tx) => tx.invite.findMany());
    expect(found.map((i) => i.id)).toEqual(['inv-org-b']);
    const none = await fx.db.scoped({ inviteTokenHash: 'wrong' }, (tx) => tx.invite.findMany());
    expect(none).toEqual([]);
  });

  it('connects the app as a role that is neither superuser nor able to bypass RLS', async () => {
    const { rows } = await owner.query(`SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = 'parallax_app'`);
    expect(rows).toEqual([{ rolsuper: false, rolbypassrls: false }]);
    const role = await fx.db.scoped({}, (tx) => tx.$queryRaw<{ current_user: string }[]>`SELECT current_user`);
    expect(role[0]?.current_user).toBe('parallax_app');
  });

  it('guards every table that has an orgId column with ENABLE and FORCE row-level security and a policy', async () => {
    const { rows } = await owner.query(`
      SELECT c.relname AS table, c.relrowsecurity AS enabled, c.relforcerowsecurity AS forced,
             (SELECT count(*)::int FROM pg_policies p WHERE p.tablename = c.relname) AS policies
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind = 'r'
        AND (EXISTS (SELECT 1 FROM information_schema.columns col WHERE col.table_name = c.relname AND col.column_name = 'orgId')
             OR c.relname = 'Organization')`);
    expect(rows.length).toBeGreaterThanOrEqual(21);
    const unguarded = rows.filter((r) => !r.enabled || !r.forced || r.policies === 0).map((r) => r.table);
    expect(unguarded).toEqual([]);
  });
});
