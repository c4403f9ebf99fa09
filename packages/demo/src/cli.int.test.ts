// The seed:demo command as a person runs it: bad flags and refusals exit 2 with a message that
// says what to do; a real org is never written into; --replace rewrites a demo org.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type DatabaseFixture, useTestDatabaseWithOwner } from '@parallax/db/test-database';
import type pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../..');
let fx: DatabaseFixture;
let owner: pg.Client;

beforeAll(async () => {
  ({ owner, ...fx } = await useTestDatabaseWithOwner());
});

function seedDemo(args: string[], databaseUrl: string = fx.ownerUrl): Promise<{ code: number | null; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: databaseUrl };
  return new Promise((resolve) => {
    const child = spawn(path.join(root, 'node_modules/.bin/tsx'), [path.join(here, 'cli.ts'), ...args], { cwd: root, env });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

const small = ['--developers', '2', '--months', '1', '--end', '2026-11-01', '--no-rollups', '--no-baseline'];

describe('npm run seed:demo', () => {
  it.each([
    [['--months', '6'], '--developers is required'],
    [['--developers', 'many', '--months', '6'], '--developers must be a whole number'],
    [['--developers', '0', '--months', '6'], '--developers: At least 1 developer'],
    [['--developers', '4', '--months', '6', '--colour', 'blue'], 'Unknown flag --colour'],
    [['--developers', '4', '--months', '6', '--end', 'yesterday'], '--end: Use a day as YYYY-MM-DD'],
    [['--developers', '4', '--months', '6', '--activity', '0'], '--activity: At least 1 (percent of the usual rhythm)'],
    [['--developers', '4', '--months', '6', '--activity', '150'], '--activity: At most 100 (percent of the usual rhythm)'],
    [['--developers', '4', '--months', '6', '--org-slug', 'Not A Slug'], 'The org slug is lowercase'],
    [['--developers', '4', '--months', '6', '--time-zone', 'Mars/Olympus'], 'Unknown time zone'],
    [['--developers', '4', '--months', '6', '--owner-email', 'nobody@example.com'], 'No user with the email nobody@example.com'],
  ])('refuses %j with exit 2 and says why', async (args, message) => {
    const { code, stderr } = await seedDemo(args);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });

  it('asks for an admin connection when it connects as the app role (COPY into RLS tables needs one)', async () => {
    const { code, stderr } = await seedDemo(small, fx.appUrl);
    expect(code).toBe(2);
    expect(stderr).toContain('needs an admin connection');
  });

  it('never writes into an org that is not demo, even with --replace', async () => {
    await owner.query(`INSERT INTO "Organization" (id, slug, name) VALUES ('real-org', 'acme', 'Acme')`);
    for (const args of [
      [...small, '--org-slug', 'acme'],
      [...small, '--org-slug', 'acme', '--replace'],
    ]) {
      const { code, stderr } = await seedDemo(args);
      expect(code).toBe(2);
      expect(stderr).toContain('"acme" is an organization with real data');
    }
    const { rows } = await owner.query(
      `SELECT demo, (SELECT count(*)::int FROM "AgentSession" WHERE "orgId" = 'real-org') AS sessions FROM "Organization" WHERE id = 'real-org'`,
    );
    expect(rows).toEqual([{ demo: false, sessions: 0 }]);
  });

  it('writes a demo org, refuses to write it twice, and rewrites it with --replace', async () => {
    await owner.query(`INSERT INTO "User" (id, email, name, "updatedAt") VALUES ('lead-user', 'lead@example.com', 'Lead', now())`);
    const args = [...small, '--org-slug', 'cli-demo', '--owner-email', 'lead@example.com'];
    expect((await seedDemo(args)).code).toBe(0);
    const first = await owner.query(`SELECT id FROM "Organization" WHERE slug = 'cli-demo' AND demo`);
    expect(first.rows).toHaveLength(1);
    const again = await seedDemo(args);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('pass --replace');
    const replaced = await seedDemo([...args, '--replace']);
    expect(replaced.code).toBe(0);
    const { rows } = await owner.query(
      `SELECT o.id, (SELECT count(*)::int FROM "AgentSession" s WHERE s."orgId" = o.id) AS sessions,
              (SELECT role FROM "Membership" m WHERE m."orgId" = o.id AND m."userId" = 'lead-user') AS role
         FROM "Organization" o WHERE slug = 'cli-demo'`,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].id).not.toBe(first.rows[0].id);
    expect(rows[0].sessions).toBeGreaterThan(0);
    expect(rows[0].role).toBe('OWNER');
    const leftovers = await owner.query(`SELECT count(*)::int AS n FROM "AgentSession" WHERE "orgId" = $1`, [first.rows[0].id]);
    expect(leftovers.rows[0].n).toBe(0);
    const users = await owner.query(`SELECT count(*)::int AS n FROM "User" WHERE email LIKE '%.cli-demo@demo.parallax.invalid'`);
    expect(users.rows[0].n).toBe(2);
  });
});
