import type { Prisma, Tx } from '@parallax/db';
import { refreshSessionEvidence } from '@parallax/evidence';

/**
 * The session timeline's event types. METRICS.md is computed from these: admission,
 * start, end, interventions, PR opened/merged (and by whom), SLA breach.
 */
export type SessionEventType =
  | 'QUEUED'
  | 'ADMITTED'
  | 'WORKSPACE_READY'
  | 'STARTED'
  | 'AGENT_EXITED'
  | 'INTERVENTION'
  | 'CHECKS_PASSED'
  | 'CHECKS_FAILED'
  | 'PR_OPENED'
  | 'PR_MERGED'
  | 'PR_CLOSED'
  | 'SLA_BREACHED'
  | 'CANCEL_REQUESTED'
  | 'ENDED'
  | 'CLEANED_UP';

export interface SessionEventInput {
  orgId: string;
  sessionId: string;
  type: SessionEventType;
  /** Same key, same event: a retried activity or replayed signal adds nothing. */
  dedupeKey: string;
  data?: Prisma.InputJsonValue;
  at?: Date;
}

/** The events after which some evidence figure of the session differs (METRICS.md). */
const CHANGES_EVIDENCE = new Set<SessionEventType>(['STARTED', 'ENDED', 'PR_OPENED', 'PR_MERGED', 'PR_CLOSED', 'SLA_BREACHED']);

/**
 * Appends the event once (true when it was new) and, when it changes a figure, rewrites the session's rollup rows in
 * the same transaction: a session that ends is in the evidence as soon as its end commits.
 */
export async function recordSessionEvent(tx: Tx, event: SessionEventInput): Promise<boolean> {
  const { count } = await tx.sessionEvent.createMany({
    data: [
      {
        orgId: event.orgId,
        sessionId: event.sessionId,
        type: event.type,
        dedupeKey: event.dedupeKey,
        data: event.data ?? {},
        at: event.at ?? new Date(),
      },
    ],
    skipDuplicates: true,
  });
  if (count > 0 && CHANGES_EVIDENCE.has(event.type)) await refreshSessionEvidence(tx, event);
  return count > 0;
}
