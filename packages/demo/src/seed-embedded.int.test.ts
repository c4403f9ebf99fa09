// npm start's small history on the embedded default (PGlite behind its socket, which cannot
// take COPY FROM STDIN: the INSERT … unnest path): written once with the demo user as OWNER,
// kept across restarts, in an org of its own.
import { startEmbeddedDatabase } from '@parallax/db/embedded';
import { applyMigrations } from '@parallax/db/migrate';
import pg from 'pg';
import { expect, it } from 'vitest';
import { seedEmbeddedHistory } from './seed-embedded.ts';

it('seeds the small history on PGlite, owned by the demo user, and keeps it on the next start', async () => {
  // No autoanalyze here: what is analyzed must be the generator's own doing.
  const embedded = await startEmbeddedDatabase({ analyzeEveryMs: 0 });
  try {
    await applyMigrations(embedded.url);
    const client = new pg.Client({ connectionString: embedded.url });
    await client.connect();
    try {
      await client.query(
        `INSERT INTO "User" (id, email, name, "updatedAt") VALUES ('demo-user', 'demo@parallax.dev', 'Demo Owner', now())`,
      );
      const started = performance.now();
      const first = await seedEmbeddedHistory(embedded.url);
      const seconds = (performance.now() - started) / 1000;
      expect(first.action).toBe('written');
      if (first.action === 'written') expect(first.sessions).toBeGreaterThan(1000);
      const { rows } = await client.query(
        `SELECT o.demo, o.name, m.role, (SELECT count(*)::int FROM "ConcurrencyDay" c WHERE c."orgId" = o.id) AS rollups
           FROM "Organization" o JOIN "Membership" m ON m."orgId" = o.id AND m."userId" = 'demo-user' WHERE o.slug = 'demo-history'`,
      );
      expect(rows).toEqual([{ demo: true, name: 'Demo history (generated)', role: 'OWNER', rollups: expect.any(Number) }]);
      expect(rows[0].rollups).toBeGreaterThan(0);
      // PGlite has no autovacuum: the generator analyzes what it loaded, or the pages plan blind.
      const stats = await client.query(
        `SELECT relname, last_analyze IS NOT NULL AS analyzed FROM pg_stat_user_tables WHERE relname IN ('AgentSession', 'Invocation', 'EvidenceDay') ORDER BY relname`,
      );
      expect(stats.rows).toEqual([
        { relname: 'AgentSession', analyzed: true },
        { relname: 'EvidenceDay', analyzed: true },
        { relname: 'Invocation', analyzed: true },
      ]);
      expect(await seedEmbeddedHistory(embedded.url)).toEqual({ action: 'kept' });
      if (first.action === 'written')
        console.log(
          `embedded history: ${first.sessions} sessions, rows ${first.rawSeconds.toFixed(1)} s, rollups ${first.rollupSeconds.toFixed(1)} s, ${seconds.toFixed(1)} s in all`,
        );
    } finally {
      await client.end();
    }
  } finally {
    await embedded.stop();
  }
}, 180_000);
