// The one way application code reaches the database. Every unit of work is a
// transaction that first drops to the `parallax_app` role (no superuser, no
// BYPASSRLS) and sets the tenant scope; Row-Level Security then decides which rows
// exist. A query without an org sees no tenant row at all, so a forgotten
// `where: { orgId }` cannot leak another org's data.
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/prisma/client.ts';

export type Tx = Omit<PrismaClient, '$connect' | '$disconnect' | '$on' | '$transaction' | '$extends'>;

export interface Scope {
  /** The org whose tenant rows are visible and writable. */
  orgId?: string | null;
  /** The signed-in user: sees their own memberships (and those orgs) across orgs. */
  userId?: string | null;
  /** SHA-256 of an invite token the caller holds: makes that one invite readable. */
  inviteTokenHash?: string | null;
  /** SHA-256 of an API token the caller presents: makes that one token readable. */
  apiTokenHash?: string | null;
}

export interface Database {
  /** Runs `work` in one transaction, as parallax_app, within `scope`. */
  scoped<T>(scope: Scope, work: (tx: Tx) => Promise<T>): Promise<T>;
  /** Shorthand for scoped({ orgId }). */
  forOrg<T>(orgId: string, work: (tx: Tx) => Promise<T>): Promise<T>;
  disconnect(): Promise<void>;
}

export const APP_ROLE = 'parallax_app';

export function createDatabase(connectionString: string, options: { maxConnections?: number } = {}): Database {
  const prisma = new PrismaClient({
    adapter: new PrismaPg({ connectionString, max: options.maxConnections ?? 10 }),
  });
  async function scoped<T>(scope: Scope, work: (tx: Tx) => Promise<T>): Promise<T> {
    return prisma.$transaction(
      async (tx) => {
        // TimeZone: Prisma stores instants as UTC timestamps without zone, and raw queries bind a
        // Date the same way; a server in another zone would shift every comparison of the two.
        // jit: the evidence and rollup statements read a few thousand rows, but their lateral
        // joins push the planner's estimates over the JIT thresholds, and compiling (seconds on
        // a busy machine) costs far more than running them; nothing a tenant runs gains from it.
        // No parallel workers, for the same reason: the planner's estimates on those statements
        // start workers (about 10 ms each here) to share a few dozen rows, and a tenant's request
        // should not take the cores other requests are waiting for.
        await tx.$executeRaw`SELECT set_config('role', ${APP_ROLE}, true),
          set_config('TimeZone', 'UTC', true),
          set_config('jit', 'off', true),
          set_config('max_parallel_workers_per_gather', '0', true),
          set_config('app.org_id', ${scope.orgId ?? ''}, true),
          set_config('app.user_id', ${scope.userId ?? ''}, true),
          set_config('app.invite_token_hash', ${scope.inviteTokenHash ?? ''}, true),
          set_config('app.api_token_hash', ${scope.apiTokenHash ?? ''}, true)`;
        return work(tx);
      },
      { maxWait: 10_000, timeout: 30_000 },
    );
  }
  return {
    scoped,
    forOrg: (orgId, work) => scoped({ orgId }, work),
    disconnect: () => prisma.$disconnect(),
  };
}
