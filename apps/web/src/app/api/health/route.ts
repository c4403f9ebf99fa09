import { getDb } from '~/server/db.ts';

export const dynamic = 'force-dynamic';

// Liveness for scripts/boot.mjs and load balancers: the app answers and reaches its database.
export async function GET() {
  try {
    await getDb().scoped({}, (tx) => tx.$queryRaw`SELECT 1`);
    return Response.json({ ok: true });
  } catch {
    return Response.json({ ok: false, error: 'The database is not reachable.' }, { status: 503 });
  }
}
