// Browser sessions that can be ended. next-auth 4's credentials provider only issues
// JWT cookies, which stay valid until they expire; so the cookie carries the secret of
// a Session row, and every request checks the row still exists. Ending a session is
// deleting its row. Only the secret's SHA-256 is stored, like API tokens.
import type { Database, Tx } from '@parallax/db';
import { hashSecret, newSecret, notFound } from '@parallax/tenancy';

const SESSION_PREFIX = 'pxs_';
export const BROWSER_SESSION_MAX_AGE_SECONDS = 30 * 24 * 60 * 60;
/** lastSeenAt is written at most this often, so a busy page does not write on every request. */
const LAST_SEEN_RESOLUTION_MS = 60_000;

export interface BrowserSessionClient {
  userAgent?: string | null;
  ipAddress?: string | null;
}

export interface ActiveBrowserSession {
  /** The Session row's id: safe to show and to name in "end this session". */
  sessionId: string;
  userId: string;
}

/** Opens a session for a user who just signed in; the returned secret goes into the cookie only. */
export async function startBrowserSession(
  db: Database,
  input: { userId: string; client: BrowserSessionClient },
  now = new Date(),
): Promise<{ secret: string; sessionId: string; expires: Date }> {
  const { secret, hash } = newSecret(SESSION_PREFIX);
  const expires = new Date(now.getTime() + BROWSER_SESSION_MAX_AGE_SECONDS * 1000);
  const row = await db.scoped({}, async (tx) => {
    // Expired rows answer nothing; tidy the user's away while we are here.
    await tx.session.deleteMany({ where: { userId: input.userId, expires: { lte: now } } });
    return tx.session.create({
      data: {
        sessionToken: hash,
        userId: input.userId,
        expires,
        createdAt: now,
        lastSeenAt: now,
        userAgent: input.client.userAgent?.slice(0, 400) || null,
        ipAddress: input.client.ipAddress?.slice(0, 64) || null,
      },
    });
  });
  return { secret, sessionId: row.id, expires };
}

/** The live session behind a cookie's secret, or null when it was ended, expired or never existed. */
export async function resolveBrowserSession(db: Database, secret: unknown, now = new Date()): Promise<ActiveBrowserSession | null> {
  if (typeof secret !== 'string' || !secret.startsWith(SESSION_PREFIX) || secret.length > 200) return null;
  const sessionToken = hashSecret(secret);
  return db.scoped({}, async (tx) => {
    const row = await tx.session.findUnique({ where: { sessionToken } });
    if (!row || row.expires <= now) return null;
    if (now.getTime() - row.lastSeenAt.getTime() >= LAST_SEEN_RESOLUTION_MS) {
      await tx.session.updateMany({ where: { id: row.id }, data: { lastSeenAt: now } });
    }
    return { sessionId: row.id, userId: row.userId };
  });
}

/** Sign-out: the session behind this cookie ends, whatever becomes of the cookie. */
export async function endBrowserSessionBySecret(db: Database, secret: unknown): Promise<void> {
  if (typeof secret !== 'string' || !secret.startsWith(SESSION_PREFIX)) return;
  await db.scoped({}, (tx) => tx.session.deleteMany({ where: { sessionToken: hashSecret(secret) } }));
}

/** The user's live sessions, newest activity first; `isCurrent` marks the caller's own browser. */
export async function listBrowserSessions(db: Database, input: { userId: string; currentSessionId?: string | null }, now = new Date()) {
  const rows = await db.scoped({}, (tx) =>
    tx.session.findMany({ where: { userId: input.userId, expires: { gt: now } }, orderBy: { lastSeenAt: 'desc' } }),
  );
  return rows.map((row) => ({
    id: row.id,
    createdAt: row.createdAt,
    lastSeenAt: row.lastSeenAt,
    expires: row.expires,
    userAgent: row.userAgent,
    ipAddress: row.ipAddress,
    isCurrent: row.id === input.currentSessionId,
  }));
}

/** Ends one of the user's own sessions; another user's looks exactly like one that does not exist. */
export async function endBrowserSession(db: Database, input: { userId: string; browserSessionId: string }): Promise<void> {
  const { count } = await db.scoped({}, (tx) => tx.session.deleteMany({ where: { id: input.browserSessionId, userId: input.userId } }));
  if (count === 0) throw notFound('Session');
}

/** Ends every session of the user but `keepSessionId` (none kept when it is null). */
export async function endOtherBrowserSessions(
  tx: Tx,
  input: { userId: string; keepSessionId?: string | null },
): Promise<{ ended: number }> {
  const { count } = await tx.session.deleteMany({
    where: { userId: input.userId, ...(input.keepSessionId ? { id: { not: input.keepSessionId } } : {}) },
  });
  return { ended: count };
}
