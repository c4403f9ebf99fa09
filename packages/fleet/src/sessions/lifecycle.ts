// The session's state changes, each idempotent: activities are retried, signals
// replayed, and a worker may die between any two lines.
import type { Database, InterventionKind, SessionStatus } from '@parallax/db';
import { recordSessionEvent } from './events.ts';

export const TERMINAL: SessionStatus[] = ['SUCCEEDED', 'FAILED', 'CANCELLED', 'TIMED_OUT'];

interface Ref {
  orgId: string;
  sessionId: string;
}

/** The agent process starts: the session becomes active (METRICS.md "Active session"). */
export async function markStarted(db: Database, ref: Ref, at = new Date()): Promise<void> {
  await db.forOrg(ref.orgId, async (tx) => {
    const s = await tx.agentSession.findUniqueOrThrow({ where: { id: ref.sessionId } });
    if (TERMINAL.includes(s.status)) return;
    await tx.agentSession.update({ where: { id: s.id }, data: { status: 'RUNNING', startedAt: s.startedAt ?? at } });
    await recordSessionEvent(tx, { ...ref, type: 'STARTED', dedupeKey: 'started', at: s.startedAt ?? at });
  });
}

export async function markPhase(db: Database, ref: Ref, status: 'CHECKING' | 'OPENING_PR'): Promise<void> {
  await db.forOrg(ref.orgId, (tx) =>
    tx.agentSession.updateMany({ where: { id: ref.sessionId, status: { notIn: TERMINAL } }, data: { status } }),
  );
}

export async function recordAgentExit(
  db: Database,
  ref: Ref,
  result: { exitCode: number; ok: boolean; agentSessionRef?: string; failure?: string; costUsd?: number },
) {
  await db.forOrg(ref.orgId, async (tx) => {
    await tx.agentSession.update({
      where: { id: ref.sessionId },
      data: {
        agentExitCode: result.exitCode,
        ...(result.agentSessionRef ? { agentSessionRef: result.agentSessionRef } : {}),
        ...(result.costUsd !== undefined && Number.isFinite(result.costUsd) && result.costUsd >= 0 ? { agentCostUsd: result.costUsd } : {}),
      },
    });
    await recordSessionEvent(tx, {
      ...ref,
      type: 'AGENT_EXITED',
      dedupeKey: 'agent-exited',
      data: { exitCode: result.exitCode, ok: result.ok, failure: result.failure ?? null },
    });
  });
}

/** How the agent ran: in the sandbox, or in the operator's explicit unsandboxed mode (shown on the session page). */
export async function recordSandboxMode(db: Database, ref: Ref, mode: 'bubblewrap' | 'unsandboxed') {
  await db.forOrg(ref.orgId, (tx) => tx.agentSession.update({ where: { id: ref.sessionId }, data: { sandboxMode: mode } }));
}

export async function recordChecks(db: Database, ref: Ref, checks: { passed: boolean; outputTail: string; command: string | null }) {
  await db.forOrg(ref.orgId, async (tx) => {
    await tx.agentSession.update({
      where: { id: ref.sessionId },
      data: { checksPassed: checks.passed, checksOutputTail: checks.outputTail.slice(-8000) },
    });
    await recordSessionEvent(tx, {
      ...ref,
      type: checks.passed ? 'CHECKS_PASSED' : 'CHECKS_FAILED',
      dedupeKey: 'checks',
      data: { command: checks.command },
    });
  });
}

/**
 * Ends the session once; a second call (a retried activity) changes nothing. Says whether the
 * ended session is still owed a PR under an SLA (slaVerdict not 'excluded', no PR yet): then its
 * window closing without one is a breach the workflow waits to record.
 */
export async function endSession(
  db: Database,
  ref: Ref,
  end: {
    status: 'SUCCEEDED' | 'FAILED' | 'CANCELLED' | 'TIMED_OUT';
    failureReason?: string;
    cancelledById?: string | null;
    whileQueued?: boolean;
  },
  at = new Date(),
): Promise<{ owesPr: boolean }> {
  return db.forOrg(ref.orgId, async (tx) => {
    const s = await tx.agentSession.findUniqueOrThrow({
      where: { id: ref.sessionId },
      include: {
        invocation: { select: { actorUserId: true } },
        task: { select: { taskType: true } },
        pullRequest: { select: { id: true } },
      },
    });
    const owes = (withdrawn: boolean) => ({
      owesPr: s.slaDeadline !== null && s.task.taskType !== 'INVESTIGATION' && !withdrawn && !s.pullRequest,
    });
    if (TERMINAL.includes(s.status)) return owes(s.withdrawnByRequester);
    // METRICS.md "PR within SLA": only the person who asked withdraws an invocation from it.
    const byRequester = !!end.cancelledById && end.cancelledById === s.invocation.actorUserId;
    const withdrawn = (end.whileQueued ?? false) && byRequester;
    await tx.agentSession.update({
      where: { id: s.id },
      data: {
        status: end.status,
        endedAt: at,
        failureReason: end.failureReason?.slice(0, 4000) ?? null,
        cancelledById: end.cancelledById ?? null,
        cancelledWhileQueued: end.whileQueued ?? false,
        withdrawnByRequester: withdrawn,
      },
    });
    await recordSessionEvent(tx, {
      ...ref,
      type: 'ENDED',
      dedupeKey: 'ended',
      at,
      data: { status: end.status, failureReason: end.failureReason ?? null },
    });
    return owes(withdrawn);
  });
}

/**
 * A human course correction (METRICS.md "Intervention": on a session while it runs), recorded
 * once per id; answers whether it was. The session's row is locked first: a message that
 * arrives as the session ends is committed before the end is (and counted by the rollups the
 * end writes) or not at all (the API refuses ended sessions, but a message can be in flight to
 * the workflow when the session ends).
 */
export async function recordIntervention(
  db: Database,
  ref: Ref,
  input: { interventionId: string; kind: InterventionKind; message: string | null; actorUserId: string | null; at?: Date },
): Promise<boolean> {
  return db.forOrg(ref.orgId, async (tx) => {
    const [session] = await tx.$queryRaw<{ ended: boolean }[]>`
      SELECT "endedAt" IS NOT NULL AS ended FROM "AgentSession" WHERE id = ${ref.sessionId} AND "orgId" = ${ref.orgId} FOR NO KEY UPDATE`;
    if (!session || session.ended) return false;
    const at = input.at ?? new Date();
    await tx.intervention.createMany({
      data: [
        {
          id: input.interventionId,
          orgId: ref.orgId,
          sessionId: ref.sessionId,
          kind: input.kind,
          message: input.message,
          actorUserId: input.actorUserId,
          at,
        },
      ],
      skipDuplicates: true,
    });
    await recordSessionEvent(tx, {
      ...ref,
      type: 'INTERVENTION',
      dedupeKey: `intervention:${input.interventionId}`,
      at,
      data: { kind: input.kind, actorUserId: input.actorUserId },
    });
    return true;
  });
}

/** Messages recorded for the session after `since`, oldest first: the running agent's mailbox. */
export async function interventionsSince(db: Database, ref: Ref, since: Date | null) {
  return db.forOrg(ref.orgId, (tx) =>
    tx.intervention.findMany({
      where: { sessionId: ref.sessionId, kind: 'MESSAGE', ...(since ? { at: { gt: since } } : {}) },
      orderBy: { at: 'asc' },
    }),
  );
}

/** The SLA window closed before a PR was opened: a breach, recorded the moment it happens. */
export async function recordSlaBreachIfNoPr(db: Database, ref: Ref, at = new Date()): Promise<boolean> {
  return db.forOrg(ref.orgId, async (tx) => {
    const s = await tx.agentSession.findUniqueOrThrow({
      where: { id: ref.sessionId },
      include: { pullRequest: true, task: { select: { taskType: true } } },
    });
    if (s.pullRequest || s.slaBreachedAt || !s.slaDeadline) return false;
    // Never a breach the evidence does not count (METRICS.md "PR within SLA"): no PR is owed.
    if (s.task.taskType === 'INVESTIGATION' || s.withdrawnByRequester) return false;
    await tx.agentSession.update({ where: { id: s.id }, data: { slaBreachedAt: at } });
    await recordSessionEvent(tx, {
      ...ref,
      type: 'SLA_BREACHED',
      dedupeKey: 'sla-breached',
      at,
      data: { slaMinutes: s.slaMinutes, deadline: s.slaDeadline.toISOString() },
    });
    return true;
  });
}

/** Appends log batches; a batch replayed with the same seq is ignored. */
export async function appendSessionLog(db: Database, ref: Ref, batch: { seq: number; text: string }): Promise<void> {
  await db.forOrg(ref.orgId, (tx) =>
    tx.sessionLogChunk.createMany({
      data: [{ orgId: ref.orgId, sessionId: ref.sessionId, seq: batch.seq, text: batch.text }],
      skipDuplicates: true,
    }),
  );
}

export async function nextLogSeq(db: Database, ref: Ref): Promise<number> {
  const last = await db.forOrg(ref.orgId, (tx) =>
    tx.sessionLogChunk.findFirst({ where: { sessionId: ref.sessionId }, orderBy: { seq: 'desc' }, select: { seq: true } }),
  );
  return (last?.seq ?? -1) + 1;
}

/** The isolation the session got (PRODUCT.md §3.2): its branch, base, ports and schema, as evidence. */
export async function recordWorkspaceReady(
  db: Database,
  ref: Ref,
  workspace: { branch: string; baseCommit: string; ports: { start: number; end: number }; dbSchema: string | null },
): Promise<void> {
  await db.forOrg(ref.orgId, (tx) =>
    recordSessionEvent(tx, {
      ...ref,
      type: 'WORKSPACE_READY',
      dedupeKey: 'workspace-ready',
      data: { branch: workspace.branch, baseCommit: workspace.baseCommit, ports: workspace.ports, dbSchema: workspace.dbSchema },
    }),
  );
}

/** Worktree removed, ports released, schema dropped (the branch stays while its PR is open). */
export async function recordCleanedUp(db: Database, ref: Ref, detail: { branchKept: boolean }): Promise<void> {
  await db.forOrg(ref.orgId, (tx) =>
    recordSessionEvent(tx, { ...ref, type: 'CLEANED_UP', dedupeKey: 'cleaned-up', data: { branchKept: detail.branchKept } }),
  );
}
