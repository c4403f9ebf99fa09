// The embedded default (PGlite behind pglite-socket) must behave like PostgreSQL for
// everything the product relies on: the migrations, RLS, and data surviving a restart.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, it, expect } from 'vitest';
import { createDatabase } from './client.ts';
import { startEmbeddedDatabase } from './embedded.ts';
import { applyMigrations } from './migrate.ts';

describe('the embedded database', () => {
  it('takes the migrations, enforces RLS and keeps its data across a restart', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'parallax-pglite-'));
    try {
      let embedded = await startEmbeddedDatabase({ dataDir });
      expect((await applyMigrations(embedded.url)).length).toBeGreaterThanOrEqual(1);
      let db = createDatabase(embedded.url, { maxConnections: 2 });
      await db.scoped({ orgId: 'org-e' }, (tx) => tx.organization.create({ data: { id: 'org-e', slug: 'org-e', name: 'Embedded' } }));
      expect(await db.scoped({}, (tx) => tx.organization.count())).toBe(0);
      await expect(db.forOrg('org-e', (tx) => tx.team.create({ data: { orgId: 'someone-else', name: 'x', slug: 'x' } }))).rejects.toThrow();
      await db.disconnect();
      await embedded.stop();

      embedded = await startEmbeddedDatabase({ dataDir });
      expect(await applyMigrations(embedded.url)).toEqual([]);
      db = createDatabase(embedded.url, { maxConnections: 2 });
      expect(await db.forOrg('org-e', (tx) => tx.organization.findUnique({ where: { id: 'org-e' } }))).toMatchObject({ name: 'Embedded' });
      await db.disconnect();
      await embedded.stop();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
