import type { Database, SessionStatus } from '@parallax/db';
import { recordSessionEvent } from '../sessions/events.ts';
import { chooseAdmissions, queuePositions } from './choose-admissions.ts';

/** Statuses that hold one of the org's and the developer's concurrency slots. */
export const SLOT_HOLDING: SessionStatus[] = ['PROVISIONING', 'RUNNING', 'CHECKING', 'OPENING_PR'];

export interface Admitted {
  sessionId: string;
  workflowId: string;
}

/**
 * Admits as many queued sessions of the org as its caps allow, in fair order, and
 * returns them so their workflows can be told. Decisions for one org are serialized
 * by a transaction-scoped advisory lock: two workers freeing slots at once cannot
 * both hand out the last one.
 */
export async function admitNext(db: Database, orgId: string): Promise<Admitted[]> {
  return db.forOrg(orgId, async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`parallax:admission:${orgId}`}))`;
    const org = await tx.organization.findUniqueOrThrow({ where: { id: orgId } });
    const [holding, queued] = await Promise.all([
      tx.agentSession.groupBy({ by: ['developerId'], where: { ...unended(orgId), status: { in: SLOT_HOLDING } }, _count: { _all: true } }),
      tx.agentSession.findMany({
        where: { ...unended(orgId), status: 'QUEUED' },
        select: { id: true, developerId: true, queuedAt: true, workflowId: true },
      }),
    ]);
    // Read the clock after the queue: a session queued while we waited for the lock must not be admitted before it was queued.
    const now = new Date();
    const runningByDeveloper = new Map(holding.map((h) => [h.developerId, h._count._all]));
    const chosen = chooseAdmissions(
      { queued, runningByDeveloper },
      { developerCap: org.developerConcurrencyCap, orgCap: org.orgConcurrencyCap },
    );
    const admitted: Admitted[] = [];
    for (const id of chosen) {
      await tx.agentSession.update({ where: { id }, data: { status: 'PROVISIONING' } });
      await recordSessionEvent(tx, { orgId, sessionId: id, type: 'ADMITTED', dedupeKey: 'admitted', at: now });
      admitted.push({ sessionId: id, workflowId: queued.find((q) => q.id === id)!.workflowId });
    }
    return admitted;
  });
}

/** Where each of the org's queued sessions stands in line (1 = next). */
export async function getQueuePositions(db: Database, orgId: string): Promise<Map<string, number>> {
  return db.forOrg(orgId, async (tx) => {
    const [holding, queued] = await Promise.all([
      tx.agentSession.groupBy({ by: ['developerId'], where: { ...unended(orgId), status: { in: SLOT_HOLDING } }, _count: { _all: true } }),
      tx.agentSession.findMany({ where: { ...unended(orgId), status: 'QUEUED' }, select: { id: true, developerId: true, queuedAt: true } }),
    ]);
    return queuePositions({ queued, runningByDeveloper: new Map(holding.map((h) => [h.developerId, h._count._all])) });
  });
}

/**
 * The org's sessions that have not ended: every queued and slot-holding one. Said outright
 * because, under row-level security, PostgreSQL does not run a comparison of an enum (not
 * leakproof) inside an index scan: `status` alone would be checked on every session the org
 * ever ran, where `endedAt IS NULL` finds the few open ones on the (orgId, endedAt) index.
 */
export const unended = (orgId: string) => ({ orgId, endedAt: null });
