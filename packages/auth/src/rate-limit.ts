// Fixed-window rate limiting kept in PostgreSQL, so every web process shares the
// counters. One atomic upsert per attempt: no read-then-write race.
import type { Database } from '@parallax/db';
import { AppError } from '@parallax/tenancy';

export interface RateLimit {
  limit: number;
  windowMs: number;
}

/** Counts one attempt against `key`; throws TOO_MANY_REQUESTS once the window's limit is passed. */
export async function consumeRateLimit(db: Database, key: string, { limit, windowMs }: RateLimit, now = new Date()): Promise<void> {
  const windowStartBefore = new Date(now.getTime() - windowMs);
  const rows = await db.scoped(
    {},
    (tx) =>
      tx.$queryRaw<{ count: number; windowStart: Date }[]>`
      INSERT INTO "RateLimitBucket" ("key", "windowStart", "count") VALUES (${key}, ${now}, 1)
      ON CONFLICT ("key") DO UPDATE SET
        "count" = CASE WHEN "RateLimitBucket"."windowStart" <= ${windowStartBefore} THEN 1 ELSE "RateLimitBucket"."count" + 1 END,
        "windowStart" = CASE WHEN "RateLimitBucket"."windowStart" <= ${windowStartBefore} THEN ${now} ELSE "RateLimitBucket"."windowStart" END
      RETURNING "count", "windowStart"`,
  );
  const row = rows[0]!;
  if (row.count > limit) {
    const retryInMinutes = Math.max(1, Math.ceil((row.windowStart.getTime() + windowMs - now.getTime()) / 60_000));
    throw new AppError('TOO_MANY_REQUESTS', `Too many attempts. Try again in ${retryInMinutes} minute${retryInMinutes === 1 ? '' : 's'}.`);
  }
}

export const SIGN_UP_PER_IP: RateLimit = { limit: 20, windowMs: 60 * 60_000 };
