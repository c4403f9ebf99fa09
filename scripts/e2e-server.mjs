// The app for Playwright, fresh every run: a new embedded database in a temporary
// folder — or, when DATABASE_URL names a real server, a new database on it — its own
// Temporal dev server (unless TEMPORAL_ADDRESS is set) and worker, and a production build.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { atShutdown, boot, log } from './boot.mjs';

const port = Number(process.env.PORT ?? 3100);
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'parallax-e2e-'));
atShutdown(() => rmSync(dataDir, { recursive: true, force: true }));
if (process.env.DATABASE_URL) {
  const name = `parallax_e2e_${Date.now()}`;
  const adminUrl = process.env.DATABASE_URL;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  atShutdown(async () => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).finally(() => client.end());
  });
  const url = new URL(process.env.DATABASE_URL);
  url.pathname = `/${name}`;
  process.env.DATABASE_URL = url.toString();
  log(`e2e database: ${name}`);
}
const up = await boot({
  dataDir,
  webPort: port,
  dbPort: port + 2,
  temporalPort: port + 3,
  temporalUiPort: port + 4,
  sessionDbPort: port + 5,
});
if (up) log(`ready ${up.url}`);
