// Port blocks are leased machine-wide from PortLease (no org: two orgs' sessions on
// one worker host must not share a port either). A session holds at most one lease.
import type { Database, Tx } from '@parallax/db';
import { conflict } from '@parallax/tenancy';
import { z } from 'zod';
import { parseSettings } from './parse-settings.ts';

export const ZPortOptions = z
  .object({
    base: z.number().int().min(1024).max(65535).default(40_000),
    /** The highest port a block may include. */
    max: z.number().int().min(1024).max(65535).default(60_000),
    blockSize: z.number().int().min(1).max(1000).default(10),
  })
  .refine((o) => o.base + o.blockSize - 1 <= o.max, { message: 'leave room for at least one block between base and max' });
export type TPortOptions = z.input<typeof ZPortOptions>;

export interface PortBlock {
  start: number;
  end: number;
}

const ATTEMPTS = 20;

/** The session's port block: the one it already holds, else the lowest free one. */
export async function leasePortBlock(db: Database, sessionId: string, options: TPortOptions = {}): Promise<PortBlock> {
  const { base, max, blockSize } = parseSettings(ZPortOptions, options, 'Invalid port settings');
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const block = await db.scoped({}, async (tx) => {
      const held = await heldBlock(tx, sessionId);
      if (held) return held;
      // Serializes allocators so that "lowest free" is exact and blocks of different
      // sizes (a changed setting) cannot interleave; the insert below stays safe
      // without it, since the primary key and the sessionId key reject a second claim.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('parallax:port-lease'))`;
      const [free] = await tx.$queryRaw<{ start: number }[]>`
        SELECT s AS start FROM generate_series(${base}::int, ${max - blockSize + 1}::int, ${blockSize}::int) AS s
        WHERE NOT EXISTS (
          SELECT 1 FROM "PortLease" l WHERE l."rangeStart" <= s + ${blockSize - 1}::int AND l."rangeEnd" >= s
        )
        ORDER BY s LIMIT 1`;
      if (!free) throw conflict(`No free block of ${blockSize} ports between ${base} and ${max}: every one is leased`);
      // ON CONFLICT: a unique violation would abort the transaction; an empty result just means "try again".
      const [leased] = await tx.$queryRaw<PortBlock[]>`
        INSERT INTO "PortLease" ("rangeStart", "rangeEnd", "sessionId")
        VALUES (${free.start}::int, ${free.start + blockSize - 1}::int, ${sessionId})
        ON CONFLICT DO NOTHING
        RETURNING "rangeStart" AS start, "rangeEnd" AS end`;
      return leased ?? null;
    });
    if (block) return block;
  }
  throw conflict(`Could not lease a port block for session ${sessionId} after ${ATTEMPTS} attempts`);
}

export async function releasePortBlock(db: Database, sessionId: string): Promise<void> {
  await db.scoped({}, (tx) => tx.portLease.deleteMany({ where: { sessionId } }));
}

async function heldBlock(tx: Tx, sessionId: string): Promise<PortBlock | null> {
  const lease = await tx.portLease.findUnique({ where: { sessionId } });
  return lease && { start: lease.rangeStart, end: lease.rangeEnd };
}
