// npm run evidence:rebuild -- --org <slug> | --all
// Recomputes the evidence rollups of one org (or every org) from the raw rows in DATABASE_URL.
// Needed after restoring raw rows, changing an org's time zone, or loading history in bulk.
import { parseArgs } from 'node:util';
import pg from 'pg';
import { createDatabase } from '@parallax/db';
import { rebuildEvidence } from '../rollups.ts';

const USAGE = 'usage: npm run evidence:rebuild -- --org <slug> | --all';

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

let values: { org?: string; all?: boolean };
try {
  ({ values } = parseArgs({ options: { org: { type: 'string' }, all: { type: 'boolean' } }, strict: true }));
} catch (error) {
  fail((error as Error).message);
}
if (!values.org === !values.all) fail('Name one org with --org, or rebuild every org with --all.');
const url = process.env.DATABASE_URL;
if (!url) fail('DATABASE_URL is not set.');

// Which orgs exist is read as the connecting login (an owner or migration login sees every org);
// each rebuild then runs in the org's own RLS scope like the product does.
const admin = new pg.Client({ connectionString: url });
await admin.connect();
const { rows } = await admin.query<{ id: string; slug: string }>(
  values.all ? 'SELECT id, slug FROM "Organization" ORDER BY slug' : 'SELECT id, slug FROM "Organization" WHERE slug = $1',
  values.all ? [] : [values.org],
);
await admin.end();
if (rows.length === 0) fail(values.all ? 'There is no organization to rebuild.' : `No organization has the slug "${values.org}".`);

const db = createDatabase(url, { maxConnections: 2 });
const tty = process.stderr.isTTY;
try {
  for (const org of rows) {
    const started = Date.now();
    const { developers } = await rebuildEvidence(db, org.id, {
      onProgress: ({ done, total }) => {
        if (tty) process.stderr.write(`\r${org.slug}: ${bar(done / total)} ${done}/${total} developers`);
      },
    });
    if (tty) process.stderr.write('\n');
    console.log(
      `${org.slug}: rollups rebuilt for ${developers} developer${developers === 1 ? '' : 's'} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  }
} finally {
  await db.disconnect();
}

function bar(share: number, width = 24): string {
  const filled = Math.round(share * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
}
