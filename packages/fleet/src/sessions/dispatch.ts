import { createHash } from 'node:crypto';
import { slaDeadline } from '@parallax/metrics';
import { z } from 'zod';
import type { Channel, Database } from '@parallax/db';
import { invalid, notFound } from '@parallax/tenancy';
import { validateAgentTask } from '../agents/run-agent.ts';
import { recordSessionEvent } from './events.ts';
import { asRetryConflict, repeatedTry, resolveRetry, type RetryRequest } from './retry.ts';
import { slaPolicyInForce } from './sla.ts';

export const ZDispatchInput = z.object({
  repositoryId: z.string().min(1).max(64),
  agentProfileId: z.string().min(1).max(64).optional(),
  title: z.string().trim().min(1, { message: 'Give the task a title' }).max(200),
  prompt: z.string().trim().min(1, { message: 'Tell the agent what to do' }).max(100_000),
  taskType: z.enum(['STANDARD', 'COMPLEX', 'INVESTIGATION']).default('STANDARD'),
  batchId: z.string().max(64).optional(),
});
export type TDispatchInput = z.input<typeof ZDispatchInput>;

export interface DispatchContext {
  orgId: string;
  /** The developer the session runs for (counts against their cap); a retry's is its task's. */
  developerId: string;
  channel: Channel;
  actorUserId?: string | null;
  actorExternal?: string | null;
  externalRef?: string | null;
  /** The raw request as received, digested into the invocation log. */
  rawPayload: unknown;
  isUnattended?: boolean;
  /** A retry of an ended session: linked to it, and counted as an intervention when its agent had run. */
  retryOf?: RetryRequest;
}

/** Starts the session's workflow; `workflowId` is the business id. */
export type StartSessionWorkflow = (args: { workflowId: string; orgId: string; sessionId: string }) => Promise<void>;

export const sessionWorkflowId = (sessionId: string) => `session-${sessionId}`;

/**
 * Every channel's way in. The invocation is written first, in its own transaction,
 * so it exists even when everything after it fails; then the task and a QUEUED
 * session carrying the SLA in force; then the workflow starts. A failed start is
 * recorded on the invocation and ends the session FAILED, never silently.
 */
export async function dispatchTask(db: Database, ctx: DispatchContext, rawInput: TDispatchInput, start: StartSessionWorkflow) {
  const receivedAt = new Date();
  const payloadDigest = createHash('sha256')
    .update(JSON.stringify(ctx.rawPayload ?? null))
    .digest('hex');
  const invocation = await db.forOrg(ctx.orgId, (tx) =>
    tx.invocation.create({
      data: {
        orgId: ctx.orgId,
        channel: ctx.channel,
        actorUserId: ctx.actorUserId ?? null,
        actorExternal: ctx.actorExternal ?? null,
        externalRef: ctx.externalRef ?? null,
        payloadDigest,
        receivedAt,
      },
    }),
  );
  try {
    const input = ZDispatchInput.parse(rawInput);
    const session = await db.forOrg(ctx.orgId, async (tx) => {
      const repository = await tx.repository.findFirst({ where: { id: input.repositoryId, orgId: ctx.orgId } });
      if (!repository) throw notFound('Repository');
      const profile = input.agentProfileId
        ? await tx.agentProfile.findFirst({ where: { id: input.agentProfileId, orgId: ctx.orgId } })
        : await tx.agentProfile.findFirst({ where: { orgId: ctx.orgId }, orderBy: { createdAt: 'asc' } });
      if (!profile) throw input.agentProfileId ? notFound('Agent profile') : invalid('This organization has no agent profile yet.');
      validateAgentTask({
        adapter: profile.adapter,
        config: profile.config,
        commandTemplate: profile.commandTemplate,
        prompt: input.prompt,
      });
      const same = { repositoryId: repository.id, taskType: input.taskType, prompt: input.prompt };
      // Asked for, or the same task a person dispatches again after it failed (never a schedule's run).
      const retryOf = ctx.retryOf
        ? await resolveRetry(tx, ctx.orgId, ctx.retryOf, same)
        : ctx.isUnattended
          ? null
          : await repeatedTry(tx, ctx.orgId, ctx.developerId, same, receivedAt);
      // A retry stays the work of the developer whose task it is, whoever retries it.
      const developerId = retryOf?.developerId ?? ctx.developerId;
      const developer = await tx.membership.findUnique({ where: { orgId_userId: { orgId: ctx.orgId, userId: developerId } } });
      if (!developer)
        throw retryOf ? invalid('The developer of that task is no longer a member; dispatch it as a new task.') : notFound('Developer');
      const sla = await slaPolicyInForce(tx, ctx.orgId, input.taskType, receivedAt);
      const task = await tx.task.create({
        data: {
          orgId: ctx.orgId,
          createdById: ctx.actorUserId ?? null,
          repositoryId: repository.id,
          agentProfileId: profile.id,
          title: input.title,
          prompt: input.prompt,
          taskType: input.taskType,
          batchId: input.batchId ?? null,
        },
      });
      const id = crypto.randomUUID();
      const created = await tx.agentSession.create({
        data: {
          id,
          orgId: ctx.orgId,
          taskId: task.id,
          invocationId: invocation.id,
          developerId,
          repositoryId: repository.id,
          agentProfileId: profile.id,
          workflowId: sessionWorkflowId(id),
          isUnattended: ctx.isUnattended ?? false,
          slaPolicyId: sla?.id ?? null,
          slaMinutes: sla?.minutes ?? null,
          slaDeadline: sla ? slaDeadline({ receivedAt, slaMinutes: sla.minutes }) : null,
          retryOfId: retryOf?.sessionId ?? null,
        },
      });
      await tx.invocation.update({ where: { id: invocation.id }, data: { taskId: task.id, dispatchedAt: new Date() } });
      const queuedAt = new Date();
      await recordSessionEvent(tx, {
        orgId: ctx.orgId,
        sessionId: id,
        type: 'QUEUED',
        dedupeKey: 'queued',
        at: queuedAt,
        data: { channel: ctx.channel, slaMinutes: sla?.minutes ?? null, slaPolicyId: sla?.id ?? null },
      });
      if (retryOf?.intervention) {
        // Just after the dispatch it comes with, so that the timeline reads in that order.
        const at = new Date(queuedAt.getTime() + 1);
        // With the session, not after it: a retry that ran uncounted would read as unassisted.
        const kind = retryOf.intervention;
        const intervention = await tx.intervention.create({
          data: { orgId: ctx.orgId, sessionId: id, kind, message: null, actorUserId: ctx.actorUserId ?? null, at },
        });
        await recordSessionEvent(tx, {
          orgId: ctx.orgId,
          sessionId: id,
          type: 'INTERVENTION',
          dedupeKey: `intervention:${intervention.id}`,
          at,
          data: { kind, actorUserId: ctx.actorUserId ?? null, retryOf: retryOf.sessionId },
        });
      }
      return created;
    });
    try {
      await start({ workflowId: session.workflowId, orgId: ctx.orgId, sessionId: session.id });
    } catch (error) {
      await db.forOrg(ctx.orgId, async (tx) => {
        await tx.agentSession.update({
          where: { id: session.id },
          data: { status: 'FAILED', endedAt: new Date(), failureReason: `could not start: ${String(error)}` },
        });
        await recordSessionEvent(tx, {
          orgId: ctx.orgId,
          sessionId: session.id,
          type: 'ENDED',
          dedupeKey: 'ended',
          data: { status: 'FAILED' },
        });
      });
      throw error;
    }
    await db.forOrg(ctx.orgId, (tx) => tx.invocation.update({ where: { id: invocation.id }, data: { workflowStartedAt: new Date() } }));
    return { invocationId: invocation.id, sessionId: session.id, workflowId: session.workflowId };
  } catch (caught) {
    const error = asRetryConflict(caught);
    await db.forOrg(ctx.orgId, (tx) =>
      tx.invocation.update({
        where: { id: invocation.id },
        data: { error: String(error instanceof Error ? error.message : error).slice(0, 2000) },
      }),
    );
    throw error;
  }
}
