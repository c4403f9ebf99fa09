// Growing delays after failed sign-ins, kept in PostgreSQL (RateLimitBucket) so every
// web process shares them. A fixed window per email let anyone lock an owner out by
// failing ten times; here the strict delays bind the attacker's own address (and the
// email-and-address pair), while the per-email delay, which also reaches the owner,
// stays short. An attempt is charged before its password is checked, under a row lock,
// so a burst of parallel guesses cannot all slip in before the first delay lands.
import type { Database, Tx } from '@parallax/db';
import { AppError } from '@parallax/tenancy';

export interface BackoffPolicy {
  /** Failures allowed before any delay. */
  freeFailures: number;
  /** The delay after the first failure beyond the free ones; it doubles with each further one. */
  firstDelayMs: number;
  maxDelayMs: number;
  /** Failures are forgotten after this long without another one. */
  forgetAfterMs: number;
}

const MINUTE = 60_000;

/** One address guessing one account's password: the attacker of the measurement. */
export const SIGN_IN_PER_PAIR: BackoffPolicy = {
  freeFailures: 5,
  firstDelayMs: 1_000,
  maxDelayMs: 15 * MINUTE,
  forgetAfterMs: 60 * MINUTE,
};
/** One address trying many accounts (password spraying). */
export const SIGN_IN_PER_ADDRESS: BackoffPolicy = {
  freeFailures: 20,
  firstDelayMs: 1_000,
  maxDelayMs: 15 * MINUTE,
  forgetAfterMs: 60 * MINUTE,
};
/** Many addresses against one account. Capped low: this delay also reaches the owner. */
export const SIGN_IN_PER_EMAIL: BackoffPolicy = { freeFailures: 20, firstDelayMs: 1_000, maxDelayMs: MINUTE, forgetAfterMs: 60 * MINUTE };

/** How long the next attempt must wait after `failures` failures in a row. */
export function backoffDelayMs(failures: number, policy: BackoffPolicy): number {
  if (failures < policy.freeFailures) return 0;
  const doublings = failures - policy.freeFailures;
  // 2^40 ms is decades: past that the exponent only risks overflow.
  return Math.min(policy.firstDelayMs * 2 ** Math.min(doublings, 40), policy.maxDelayMs);
}

export interface BackoffCharge {
  key: string;
  policy: BackoffPolicy;
}

interface BucketRow {
  key: string;
  windowStart: Date;
  count: number;
  blockedUntil: Date | null;
}

async function lockBuckets(tx: Tx, keys: string[], now: Date): Promise<Map<string, BucketRow>> {
  for (const key of keys) {
    await tx.$executeRaw`INSERT INTO "RateLimitBucket" ("key", "windowStart", "count") VALUES (${key}, ${now}, 0) ON CONFLICT ("key") DO NOTHING`;
  }
  const rows = await tx.$queryRaw<BucketRow[]>`
    SELECT "key", "windowStart", "count", "blockedUntil" FROM "RateLimitBucket" WHERE "key" = ANY(${keys}) ORDER BY "key" FOR UPDATE`;
  return new Map(rows.map((row) => [row.key, row]));
}

function retryMessage(waitMs: number): string {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  const wait = seconds < 120 ? `${seconds} second${seconds === 1 ? '' : 's'}` : `${Math.ceil(seconds / 60)} minutes`;
  return `Too many failed sign-ins. Try again in ${wait}.`;
}

/**
 * Counts one attempt as a failure against every key (undone by `settleSuccess`), or
 * throws TOO_MANY_REQUESTS, counting nothing, while any key is still waiting out its delay.
 */
export async function chargeAttempt(db: Database, charges: BackoffCharge[], now = new Date()): Promise<void> {
  // Locked in key order, so two attempts sharing keys cannot deadlock.
  const sorted = [...charges].sort((a, b) => a.key.localeCompare(b.key));
  const waitMs = await db.scoped({}, async (tx) => {
    const rows = await lockBuckets(
      tx,
      sorted.map((c) => c.key),
      now,
    );
    const blockedFor = Math.max(0, ...[...rows.values()].map((row) => (row.blockedUntil ? row.blockedUntil.getTime() - now.getTime() : 0)));
    if (blockedFor > 0) return blockedFor;
    for (const { key, policy } of sorted) {
      const row = rows.get(key)!;
      const stale = row.windowStart.getTime() <= now.getTime() - policy.forgetAfterMs;
      const failures = stale ? 1 : row.count + 1;
      const delay = backoffDelayMs(failures, policy);
      const blockedUntil = delay > 0 ? new Date(now.getTime() + delay) : null;
      // windowStart holds the time of the latest failure: quiet time is measured from it.
      await tx.$executeRaw`UPDATE "RateLimitBucket" SET "count" = ${failures}, "windowStart" = ${now}, "blockedUntil" = ${blockedUntil} WHERE "key" = ${key}`;
    }
    return 0;
  });
  if (waitMs > 0) throw new AppError('TOO_MANY_REQUESTS', retryMessage(waitMs));
}

/**
 * The attempt succeeded: `forget` keys start again from nothing; `refund` keys only get
 * back the one failure `chargeAttempt` counted, so an attacker who signs in to an account
 * of their own from the same address does not wipe that address's record.
 */
export async function settleSuccess(db: Database, input: { forget: string[]; refund: BackoffCharge[] }): Promise<void> {
  await db.scoped({}, async (tx) => {
    if (input.forget.length) await tx.$executeRaw`DELETE FROM "RateLimitBucket" WHERE "key" = ANY(${input.forget})`;
    const sorted = [...input.refund].sort((a, b) => a.key.localeCompare(b.key));
    for (const { key, policy } of sorted) {
      const [row] = await tx.$queryRaw<BucketRow[]>`SELECT "count" FROM "RateLimitBucket" WHERE "key" = ${key} FOR UPDATE`;
      if (!row) continue;
      const failures = Math.max(0, row.count - 1);
      if (backoffDelayMs(failures, policy) === 0) {
        await tx.$executeRaw`UPDATE "RateLimitBucket" SET "count" = ${failures}, "blockedUntil" = NULL WHERE "key" = ${key}`;
      } else {
        await tx.$executeRaw`UPDATE "RateLimitBucket" SET "count" = ${failures} WHERE "key" = ${key}`;
      }
    }
  });
}
