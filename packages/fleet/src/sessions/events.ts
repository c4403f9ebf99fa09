import type { Prisma, Tx } from '@parallax/db';

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

export async function recordSessionEvent(tx: Tx, event: SessionEventInput): Promise<void> {
  await tx.sessionEvent.createMany({
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
}
