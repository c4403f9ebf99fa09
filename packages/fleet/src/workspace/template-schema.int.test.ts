// A session's schema as a copy of a template schema, on real PostgreSQL: the rows, the
// constraints and defaults come along, the sequences become the session's own, and the
// session's role owns the copy and still reaches nothing else.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { type DatabaseFixture, useTestDatabase } from '@parallax/db/test-database';
import { beforeAll, describe, expect, it } from 'vitest';
import { createOrgWithRepository, createOriginRepo, queryOnce, sessionSchemas, useTempDir } from '../../test/fixtures/workspace/index.ts';
import { prepareWorkspace } from './index.ts';
import { ZTemplateSchemaName } from './template-schema-name.ts';

let fx: DatabaseFixture;
const tmp = useTempDir();
const dirs = { workspacesDir: path.join(tmp, 'workspaces'), mirrorsDir: path.join(tmp, 'mirrors') };

beforeAll(async () => {
  fx = await useTestDatabase();
});

/** A template with a serial key, a free-standing sequence, an identity column, a foreign key, a check and an index. */
async function createTemplate(markedFor: string): Promise<string> {
  const name = `tpl_${randomUUID().slice(0, 8)}`;
  await queryOnce(
    fx.ownerUrl,
    `CREATE SCHEMA ${name};
     CREATE SEQUENCE ${name}.invoice_no START 1000;
     CREATE TABLE ${name}.customers (id serial PRIMARY KEY, email text NOT NULL UNIQUE CHECK (email LIKE '%@%'), tier text DEFAULT 'free');
     CREATE TABLE ${name}.invoices (
       id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
       customer_id int NOT NULL REFERENCES ${name}.customers(id),
       number bigint NOT NULL DEFAULT nextval('${name}.invoice_no'),
       cents int NOT NULL,
       euros numeric GENERATED ALWAYS AS (cents / 100.0) STORED);
     CREATE INDEX invoices_by_customer ON ${name}.invoices (customer_id);
     INSERT INTO ${name}.customers (email) VALUES ('a@example.test'), ('b@example.test');
     INSERT INTO ${name}.invoices (customer_id, cents) VALUES (1, 1250), (2, 300);
     COMMENT ON SCHEMA ${name} IS 'parallax-template:${markedFor}'`,
  );
  return name;
}

async function setUp(templateSchema: string | ((orgId: string) => Promise<string>)) {
  const origin = await createOriginRepo(tmp);
  const org = await createOrgWithRepository(fx.db, { localPath: origin.path, createsSchema: true });
  const template = typeof templateSchema === 'string' ? templateSchema : await templateSchema(org.orgId);
  const prepare = async () =>
    prepareWorkspace({
      db: fx.db,
      session: await org.createSession(),
      repository: { ...org.repository, templateSchema: template },
      ...dirs,
      schemaDatabaseUrl: fx.ownerUrl,
    });
  return { org, template, prepare };
}

/** The session's DATABASE_URL pointed at the test server instead of the sandbox's forward. */
function hostUrl(url: string): string {
  const u = new URL(url);
  const server = new URL(fx.ownerUrl);
  u.hostname = server.hostname;
  u.port = server.port;
  return u.toString();
}

describe('a session schema copied from a template', () => {
  it('has the rows, constraints, defaults and indexes, owned by the session role', async () => {
    const { template, prepare } = await setUp(createTemplate);
    const workspace = await prepare();
    const session = hostUrl(workspace.env.DATABASE_URL!);

    expect(await queryOnce(session, 'SELECT id, email, tier FROM customers ORDER BY id')).toEqual([
      { id: 1, email: 'a@example.test', tier: 'free' },
      { id: 2, email: 'b@example.test', tier: 'free' },
    ]);
    expect(await queryOnce(session, 'SELECT id::int, number::int, euros::float FROM invoices ORDER BY id')).toEqual([
      { id: 1, number: 1000, euros: 12.5 },
      { id: 2, number: 1001, euros: 3 },
    ]);
    // Constraints came along: the check, the unique key, the foreign key into the copy.
    await expect(queryOnce(session, `INSERT INTO customers (email) VALUES ('not an address')`)).rejects.toThrow(/check constraint/);
    await expect(queryOnce(session, `INSERT INTO customers (email) VALUES ('a@example.test')`)).rejects.toThrow(/unique/);
    await expect(queryOnce(session, 'INSERT INTO invoices (customer_id, cents) VALUES (99, 1)')).rejects.toThrow(/foreign key/);
    const indexes = await queryOnce<{ indexname: string }>(fx.ownerUrl, 'SELECT indexname FROM pg_indexes WHERE schemaname = $1', [
      workspace.dbSchema,
    ]);
    expect(indexes.map((i) => i.indexname)).toContain('invoices_customer_id_idx');

    const owners = await queryOnce<{ relname: string; owner: string }>(
      fx.ownerUrl,
      `SELECT relname, relowner::regrole::text AS owner FROM pg_class WHERE relnamespace = $1::regnamespace ORDER BY relname`,
      [workspace.dbSchema],
    );
    expect(owners.length).toBeGreaterThan(5);
    expect(new Set(owners.map((o) => o.owner))).toEqual(new Set([workspace.dbSchema]));
    // The template itself stays out of the session's reach, as does everything else.
    await expect(queryOnce(session, `SELECT * FROM ${template}.customers`)).rejects.toThrow(/permission denied/);
    await expect(queryOnce(session, 'SELECT count(*) FROM public."Organization"')).rejects.toThrow(/permission denied/);
  });

  it("writes its own sequences: inserting into the copy leaves the template's untouched", async () => {
    const { template, prepare } = await setUp(createTemplate);
    const before = await queryOnce<{ seq: string; last_value: string }>(
      fx.ownerUrl,
      `SELECT sequencename AS seq, last_value::text FROM pg_sequences WHERE schemaname = $1 ORDER BY 1`,
      [template],
    );
    expect(before).toHaveLength(3);
    const session = hostUrl((await prepare()).env.DATABASE_URL!);

    await queryOnce(session, `INSERT INTO customers (email) VALUES ('c@example.test')`);
    await queryOnce(session, 'INSERT INTO invoices (customer_id, cents) VALUES (3, 100)');
    // The copy continues from the template's values, on sequences of its own.
    expect(
      await queryOnce(
        session,
        `SELECT c.id, i.id::int AS invoice, i.number::int FROM customers c JOIN invoices i ON i.customer_id = c.id WHERE c.id = 3`,
      ),
    ).toEqual([{ id: 3, invoice: 3, number: 1002 }]);
    const after = await queryOnce(
      fx.ownerUrl,
      `SELECT sequencename AS seq, last_value::text FROM pg_sequences WHERE schemaname = $1 ORDER BY 1`,
      [template],
    );
    expect(after).toEqual(before);
    expect(await queryOnce(fx.ownerUrl, `SELECT count(*)::int AS n FROM ${template}.customers`)).toEqual([{ n: 2 }]);
  });

  it('is made once: preparing again keeps what the session wrote', async () => {
    const { org, template } = await setUp(createTemplate);
    const session = await org.createSession();
    const prepare = () =>
      prepareWorkspace({
        db: fx.db,
        session,
        repository: { ...org.repository, templateSchema: template },
        ...dirs,
        schemaDatabaseUrl: fx.ownerUrl,
      });
    const url = hostUrl((await prepare()).env.DATABASE_URL!);
    await queryOnce(url, `INSERT INTO customers (email) VALUES ('kept@example.test')`);
    await prepare();
    expect(await queryOnce(url, 'SELECT count(*)::int AS n FROM customers')).toEqual([{ n: 3 }]);
  });

  it('fails with a clear message when the template does not exist, or is not marked for the org', async () => {
    const schemasBefore = await sessionSchemas(fx.ownerUrl);
    const missing = await setUp('no_such_template');
    await expect(missing.prepare()).rejects.toThrow(/Template schema "no_such_template" does not exist on the session database server/);
    const othersTemplate = await createTemplate('org-someone-else');
    const stranger = await setUp(othersTemplate);
    await expect(stranger.prepare()).rejects.toThrow(/or is not marked as a template of this organization/);
    // Nothing half-made is left behind: no schema of either session.
    expect(await sessionSchemas(fx.ownerUrl)).toEqual(schemasBefore);
  });

  it('refuses a template whose tables use a type of its own, naming what is not copied', async () => {
    const { prepare } = await setUp(async (orgId) => {
      const name = `tpl_${randomUUID().slice(0, 8)}`;
      await queryOnce(
        fx.ownerUrl,
        `CREATE SCHEMA ${name}; CREATE TYPE ${name}.mood AS ENUM ('ok', 'meh'); CREATE TABLE ${name}.moods (m ${name}.mood);
         COMMENT ON SCHEMA ${name} IS 'parallax-template:${orgId}'`,
      );
      return name;
    });
    await expect(prepare()).rejects.toThrow(/cannot be copied: .*uses type .*mood.*types and triggers are not copied/);
  });
});

describe('a template schema name', () => {
  it('is a plain SQL identifier, never a session schema nor a system one', () => {
    expect(ZTemplateSchemaName.parse(' app_template ')).toBe('app_template');
    expect(ZTemplateSchemaName.parse('')).toBeNull();
    for (const bad of ['Robert"; DROP', 'Upper', '1abc', 'a'.repeat(64), 'session_abc', 'pg_catalog', 'information_schema'])
      expect(ZTemplateSchemaName.safeParse(bad).success, bad).toBe(false);
  });
});
