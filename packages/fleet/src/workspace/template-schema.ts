// A session's schema may start as a copy of a template schema on the session database
// server (Repository.templateSchema) instead of empty: the tables a repository's tests
// expect, with their seed data, without running every migration in every session.
// What is copied: tables with their data, column defaults, identity and generated
// columns, CHECK / NOT NULL / primary-key / unique / exclusion constraints, indexes,
// foreign keys between the template's own tables, comments, and the template's
// sequences (as the session's own, at the template's current value). What is not:
// views, materialized views, functions, triggers, types, partitioned tables, and
// grants. Whatever in the copy would still use something of the template (a column
// of a template's enum, a default calling a template's function) fails the copy with
// its name, so the session never writes into the template behind its back.
import { invalid } from '@parallax/tenancy';
import type pg from 'pg';

/** How the operator marks a schema as a template, and for whom: `parallax-template:<orgId>[,<orgId>…]` or `parallax-template:*`. */
export const TEMPLATE_MARK = 'parallax-template:';

/**
 * Copies `template` into `schema` (which must not exist yet) and makes the session's role
 * its owner. Runs inside the caller's transaction: a copy that fails half-way leaves nothing.
 */
export async function copyTemplateSchema(
  client: pg.Client,
  options: { template: string; schema: string; role: string; orgId: string },
): Promise<void> {
  const { template, schema } = options;
  const q = (name: string) => client.escapeIdentifier(name);
  const from = await templateOid(client, template, options.orgId);
  // Unqualified names print qualified from here on, so defaults and constraints can be re-pointed.
  await client.query(`SET LOCAL search_path = ''`);
  await client.query(`CREATE SCHEMA ${q(schema)} AUTHORIZATION ${q(options.role)}`);
  const to = Number((await client.query<{ oid: string }>('SELECT oid FROM pg_namespace WHERE nspname = $1', [schema])).rows[0]!.oid);

  const unsupported = await client.query<{ relname: string; relkind: string }>(
    `SELECT relname, relkind FROM pg_class WHERE relnamespace = $1 AND (relkind = 'p' OR relispartition) ORDER BY relname`,
    [from],
  );
  if (unsupported.rowCount)
    throw invalid(
      `Template schema "${template}" has partitioned tables (${unsupported.rows.map((r) => r.relname).join(', ')}), which are not copied`,
    );

  // Sequences of the template's own (not those behind identity columns, which LIKE re-creates).
  const sequences = await client.query<{
    relname: string;
    type: string;
    seqstart: string;
    seqincrement: string;
    seqmin: string;
    seqmax: string;
    seqcache: string;
    seqcycle: boolean;
    owned_by: string | null;
    owned_col: string | null;
  }>(
    `SELECT c.relname, format_type(s.seqtypid, NULL) AS type, s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache, s.seqcycle,
            t.relname AS owned_by, a.attname AS owned_col
       FROM pg_class c JOIN pg_sequence s ON s.seqrelid = c.oid
       LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
       LEFT JOIN pg_class t ON t.oid = d.refobjid
       LEFT JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
      WHERE c.relnamespace = $1 AND c.relkind = 'S' AND (d.deptype IS NULL OR d.deptype = 'a')
      ORDER BY c.relname`,
    [from],
  );
  for (const s of sequences.rows) {
    await client.query(
      `CREATE SEQUENCE ${q(schema)}.${q(s.relname)} AS ${s.type} INCREMENT BY ${BigInt(s.seqincrement)} MINVALUE ${BigInt(s.seqmin)}
         MAXVALUE ${BigInt(s.seqmax)} START WITH ${BigInt(s.seqstart)} CACHE ${BigInt(s.seqcache)} ${s.seqcycle ? 'CYCLE' : 'NO CYCLE'}`,
    );
    await copySequenceValue(client, `${q(template)}.${q(s.relname)}`, `${q(schema)}.${q(s.relname)}`);
  }

  const tables = (
    await client.query<{ relname: string }>(`SELECT relname FROM pg_class WHERE relnamespace = $1 AND relkind = 'r' ORDER BY relname`, [
      from,
    ])
  ).rows.map((r) => r.relname);
  for (const table of tables) await client.query(`CREATE TABLE ${q(schema)}.${q(table)} (LIKE ${q(template)}.${q(table)} INCLUDING ALL)`);

  // LIKE copied `nextval('template.seq')` as it was: point each default at the session's own sequence.
  const seqLiteral = async (ns: string, name: string) =>
    (await client.query<{ lit: string }>(`SELECT format('%L', format('%I.%I', $1::text, $2::text)) || '::regclass' AS lit`, [ns, name]))
      .rows[0]!.lit;
  const rewrites: [string, string][] = [];
  for (const s of sequences.rows) rewrites.push([await seqLiteral(template, s.relname), await seqLiteral(schema, s.relname)]);
  const defaults = await client.query<{ relname: string; attname: string; expr: string }>(
    `SELECT c.relname, a.attname, pg_get_expr(d.adbin, d.adrelid) AS expr
       FROM pg_attrdef d JOIN pg_class c ON c.oid = d.adrelid JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
      WHERE c.relnamespace = $1 AND a.attgenerated = ''`,
    [to],
  );
  for (const d of defaults.rows) {
    const expr = rewrites.reduce((e, [old, now]) => e.split(old).join(now), d.expr);
    if (expr !== d.expr) await client.query(`ALTER TABLE ${q(schema)}.${q(d.relname)} ALTER COLUMN ${q(d.attname)} SET DEFAULT ${expr}`);
  }
  for (const s of sequences.rows) {
    if (s.owned_by && s.owned_col)
      await client.query(`ALTER SEQUENCE ${q(schema)}.${q(s.relname)} OWNED BY ${q(schema)}.${q(s.owned_by)}.${q(s.owned_col)}`);
  }

  for (const table of tables) await copyRows(client, template, schema, table);

  // Foreign keys after the rows, so their order does not matter; only between the template's own tables.
  const foreignKeys = await client.query<{ table: string; conname: string; def: string; target_ns: string }>(
    `SELECT t.relname AS table, c.conname, pg_get_constraintdef(c.oid) AS def, rn.nspname AS target_ns
       FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_class r ON r.oid = c.confrelid JOIN pg_namespace rn ON rn.oid = r.relnamespace
      WHERE c.contype = 'f' AND t.relnamespace = $1 ORDER BY t.relname, c.conname`,
    [from],
  );
  for (const fk of foreignKeys.rows) {
    if (fk.target_ns !== template)
      throw invalid(
        `Template schema "${template}": table ${fk.table} has a foreign key into schema ${fk.target_ns}, which a session cannot reach`,
      );
    const [old, now] = (
      await client.query<{ old: string; now: string }>(
        `SELECT 'REFERENCES ' || quote_ident($1) || '.' AS old, 'REFERENCES ' || quote_ident($2) || '.' AS now`,
        [template, schema],
      )
    ).rows.map((r) => [r.old, r.now])[0]!;
    await client.query(`ALTER TABLE ${q(schema)}.${q(fk.table)} ADD CONSTRAINT ${q(fk.conname)} ${fk.def.replace(old!, now!)}`);
  }

  // Tables carry their indexes and owned sequences along; free-standing sequences go one by one.
  for (const table of tables) await client.query(`ALTER TABLE ${q(schema)}.${q(table)} OWNER TO ${q(options.role)}`);
  for (const s of sequences.rows) {
    if (!s.owned_by) await client.query(`ALTER SEQUENCE ${q(schema)}.${q(s.relname)} OWNER TO ${q(options.role)}`);
  }
  await assertNothingPointsBack(client, template, from, to);
}

/** The template's namespace, if it exists and the operator marked it for this org; one message for both, so no org learns another's template names. */
async function templateOid(client: pg.Client, template: string, orgId: string): Promise<number> {
  const found = await client.query<{ oid: string; mark: string | null }>(
    `SELECT oid, obj_description(oid, 'pg_namespace') AS mark FROM pg_namespace WHERE nspname = $1`,
    [template],
  );
  const row = found.rows[0];
  const mark = row?.mark?.trim() ?? '';
  const orgs = mark.startsWith(TEMPLATE_MARK)
    ? mark
        .slice(TEMPLATE_MARK.length)
        .split(',')
        .map((s) => s.trim())
    : [];
  if (!row || !(orgs.includes(orgId) || orgs.includes('*')))
    throw invalid(
      `Template schema "${template}" does not exist on the session database server, or is not marked as a template of this organization (COMMENT ON SCHEMA ${template} IS '${TEMPLATE_MARK}${orgId}')`,
    );
  return Number(row.oid);
}

async function copySequenceValue(client: pg.Client, fromSeq: string, toSeq: string): Promise<void> {
  const { rows } = await client.query<{ last_value: string; is_called: boolean }>(`SELECT last_value, is_called FROM ${fromSeq}`);
  const value = rows[0]!;
  await client.query('SELECT setval($1::regclass, $2::bigint, $3)', [toSeq, value.last_value, value.is_called]);
}

async function copyRows(client: pg.Client, template: string, schema: string, table: string): Promise<void> {
  const q = (name: string) => client.escapeIdentifier(name);
  const columns = await client.query<{ attname: string; identity: string }>(
    `SELECT a.attname, a.attidentity AS identity FROM pg_attribute a
      WHERE a.attrelid = ($1::text)::regclass AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = '' ORDER BY a.attnum`,
    [`${q(template)}.${q(table)}`],
  );
  if (columns.rowCount) {
    const list = columns.rows.map((c) => q(c.attname)).join(', ');
    await client.query(
      `INSERT INTO ${q(schema)}.${q(table)} (${list}) OVERRIDING SYSTEM VALUE SELECT ${list} FROM ${q(template)}.${q(table)}`,
    );
  }
  for (const c of columns.rows.filter((c) => c.identity !== '')) {
    const seqs = await client.query<{ from_seq: string; to_seq: string }>(
      'SELECT pg_get_serial_sequence($1, $3) AS from_seq, pg_get_serial_sequence($2, $3) AS to_seq',
      [`${q(template)}.${q(table)}`, `${q(schema)}.${q(table)}`, c.attname],
    );
    const { from_seq, to_seq } = seqs.rows[0]!;
    if (from_seq && to_seq) await copySequenceValue(client, from_seq, to_seq);
  }
}

/** Anything of the copy that still uses an object of the template (a type, a function, a table) would tie the session to it. */
async function assertNothingPointsBack(client: pg.Client, template: string, from: number, to: number): Promise<void> {
  const { rows } = await client.query<{ what: string; uses: string }>(
    `SELECT DISTINCT pg_describe_object(d.classid, d.objid, d.objsubid) AS what, pg_describe_object(d.refclassid, d.refobjid, d.refobjsubid) AS uses
       FROM pg_depend d
      WHERE ((d.refclassid = 'pg_class'::regclass AND d.refobjid IN (SELECT oid FROM pg_class WHERE relnamespace = $1))
          OR (d.refclassid = 'pg_type'::regclass AND d.refobjid IN (SELECT oid FROM pg_type WHERE typnamespace = $1))
          OR (d.refclassid = 'pg_proc'::regclass AND d.refobjid IN (SELECT oid FROM pg_proc WHERE pronamespace = $1)))
        AND ((d.classid = 'pg_class'::regclass AND d.objid IN (SELECT oid FROM pg_class WHERE relnamespace = $2))
          OR (d.classid = 'pg_attrdef'::regclass AND d.objid IN (SELECT a.oid FROM pg_attrdef a JOIN pg_class c ON c.oid = a.adrelid WHERE c.relnamespace = $2))
          OR (d.classid = 'pg_constraint'::regclass AND d.objid IN (SELECT oid FROM pg_constraint WHERE connamespace = $2))
          OR (d.classid = 'pg_type'::regclass AND d.objid IN (SELECT oid FROM pg_type WHERE typnamespace = $2)))
      ORDER BY 1`,
    [from, to],
  );
  if (rows.length)
    throw invalid(
      `Template schema "${template}" cannot be copied: ${rows.map((r) => `${r.what} uses ${r.uses}`).join('; ')} (views, functions, types and triggers are not copied)`,
    );
}
