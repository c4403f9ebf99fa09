// npm start's small history: after prisma/seed.ts, a demo org of its own ("demo-history")
// with 12 developers over 3 months ending today, the demo user as its OWNER, so every evidence
// page has something to show on a fresh machine while the fleet's real demo sessions stay in
// the "demo" org. Idempotent: kept while it is recent, rewritten when it is a week stale or an
// earlier start was interrupted. Exits 0 when there is nothing to do.
import pg from 'pg';
import { generateHistory } from './generate-history.ts';
import { findOrg } from './org.ts';

export const EMBEDDED_HISTORY = { orgSlug: 'demo-history', developers: 12, months: 3, ownerEmail: 'demo@parallax.dev' } as const;
const STALE_MS = 7 * 24 * 3600_000;

export type SeedOutcome = { action: 'kept' } | { action: 'written'; sessions: number; rawSeconds: number; rollupSeconds: number };

/** Writes the small history unless a complete, recent one is there. */
export async function seedEmbeddedHistory(databaseUrl: string, now = new Date()): Promise<SeedOutcome> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  let replace = false;
  let ownerEmail: string | undefined;
  try {
    const existing = await findOrg(client, EMBEDDED_HISTORY.orgSlug);
    if (existing?.demo && existing.complete) {
      const { rows } = await client.query<{ last: Date | null }>('SELECT max("receivedAt") AS last FROM "Invocation" WHERE "orgId" = $1', [
        existing.id,
      ]);
      const last = rows[0]?.last;
      if (last && now.getTime() - last.getTime() < STALE_MS) return { action: 'kept' };
    }
    // A real org that took the slug is left alone: generateHistory refuses it with its own message.
    replace = existing?.demo === true;
    const owner = await client.query('SELECT 1 FROM "User" WHERE email = $1', [EMBEDDED_HISTORY.ownerEmail]);
    if (owner.rowCount) ownerEmail = EMBEDDED_HISTORY.ownerEmail;
  } finally {
    await client.end();
  }
  const result = await generateHistory({
    databaseUrl,
    orgSlug: EMBEDDED_HISTORY.orgSlug,
    developers: EMBEDDED_HISTORY.developers,
    months: EMBEDDED_HISTORY.months,
    ownerEmail,
    replace,
    seed: 1,
  });
  return { action: 'written', sessions: result.sessions, rawSeconds: result.seconds, rollupSeconds: result.rollupSeconds ?? 0 };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error('DATABASE_URL is not set');
    process.exit(2);
  }
  const outcome = await seedEmbeddedHistory(url);
  console.log(
    outcome.action === 'kept'
      ? 'demo history already seeded (org "demo-history")'
      : `seeded the demo history (org "demo-history"): ${outcome.sessions} sessions in ${outcome.rawSeconds.toFixed(1)} s, rollups ${outcome.rollupSeconds.toFixed(1)} s`,
  );
}
