import { z } from 'zod';
import {
  dispatchTask,
  endSession,
  getSession,
  getSessionRef,
  listSessions,
  readSessionLog,
  recordSessionEvent,
  TERMINAL,
  ZDispatchInput,
} from '@parallax/fleet';
import { getQueuePositions } from '@parallax/fleet/admission';
import { createLocalForge } from '@parallax/fleet/forge';
import { can, invalid } from '@parallax/tenancy';
import { createTRPCRouter, orgProcedure, orgProcedureWith, ZOrgScoped } from '../trpc.ts';

const ZSessionRef = ZOrgScoped.extend({ sessionId: z.string().min(1).max(64) });

export const sessionRouter = createTRPCRouter({
  /**
   * A task from the web. With `retryOfSessionId` it retries that ended session (or the latest
   * try of its chain), for its developer, on its repository and task type; counted as an
   * intervention when the retried try's agent had run.
   */
  dispatch: orgProcedureWith('sessions:dispatch')
    .input(ZOrgScoped.extend(ZDispatchInput.shape).extend({ retryOfSessionId: z.string().min(1).max(64).optional() }))
    .mutation(({ ctx, input: { orgId, retryOfSessionId, ...task } }) => {
      const retryOf = retryOfSessionId ? { sessionId: retryOfSessionId, viewer: steerer(ctx) } : undefined;
      return dispatchTask(
        ctx.db,
        {
          orgId,
          developerId: ctx.auth.userId,
          actorUserId: ctx.auth.userId,
          channel: 'WEB',
          rawPayload: retryOfSessionId ? { ...task, retryOfSessionId } : task,
          retryOf,
        },
        task,
        (args) => ctx.fleet.startSession(args),
      );
    }),
  list: orgProcedure
    .input(ZOrgScoped.extend({ live: z.boolean().optional(), limit: z.number().int().min(1).max(500).optional() }))
    .query(async ({ ctx, input }) => {
      const viewer = { userId: ctx.auth.userId, seesEveryone: can(ctx.membership.role, 'sessions:read-all') };
      const [sessions, positions] = await Promise.all([
        ctx.tenant((tx) => listSessions(tx, { orgId: input.orgId, viewer, live: input.live, limit: input.limit })),
        getQueuePositions(ctx.db, input.orgId),
      ]);
      return sessions.map((s) => ({ ...s, queuePosition: positions.get(s.id) ?? null }));
    }),
  get: orgProcedure
    .input(ZSessionRef)
    .query(({ ctx, input }) =>
      ctx.tenant((tx) =>
        getSession(tx, { ...input, viewer: { userId: ctx.auth.userId, seesEveryone: can(ctx.membership.role, 'sessions:read-all') } }),
      ),
    ),
  log: orgProcedure
    .input(
      ZSessionRef.extend({
        cursor: z.number().int().min(-1).optional(),
        limit: z.number().int().min(1).max(100).optional(),
        fromEnd: z.boolean().optional(),
      }),
    )
    .query(({ ctx, input }) =>
      ctx.tenant((tx) =>
        readSessionLog(tx, { ...input, viewer: { userId: ctx.auth.userId, seesEveryone: can(ctx.membership.role, 'sessions:read-all') } }),
      ),
    ),
  /** A course correction: recorded as an intervention and handed to the agent. */
  intervene: orgProcedureWith('sessions:dispatch')
    .input(ZSessionRef.extend({ message: z.string().trim().min(1, { message: 'Write the correction' }).max(10_000) }))
    .mutation(async ({ ctx, input }) => {
      const session = await ctx.tenant((tx) => getSessionRef(tx, { ...input, viewer: steerer(ctx) }));
      if (TERMINAL.includes(session.status)) throw invalid('This session has ended; dispatch a new one instead.');
      const interventionId = crypto.randomUUID();
      await ctx.fleet.intervene(session.workflowId, { interventionId, message: input.message, actorUserId: ctx.auth.userId });
      return { interventionId };
    }),
  cancel: orgProcedureWith('sessions:dispatch')
    .input(ZSessionRef)
    .mutation(async ({ ctx, input }) => {
      const ref = { orgId: input.orgId, sessionId: input.sessionId };
      const session = await ctx.tenant((tx) => getSessionRef(tx, { ...input, viewer: steerer(ctx) }));
      if (TERMINAL.includes(session.status)) return { cancelled: false };
      await ctx.tenant((tx) =>
        recordSessionEvent(tx, {
          ...ref,
          type: 'CANCEL_REQUESTED',
          dedupeKey: `cancel:${ctx.auth.userId}`,
          data: { actorUserId: ctx.auth.userId },
        }),
      );
      const delivered = await ctx.fleet.cancel(session.workflowId, { actorUserId: ctx.auth.userId });
      // No workflow to tell (it never started, or is gone): end the record here.
      if (!delivered)
        await endSession(ctx.db, ref, { status: 'CANCELLED', cancelledById: ctx.auth.userId, whileQueued: session.status === 'QUEUED' });
      return { cancelled: true };
    }),
  /**
   * Merges (with a real merge commit) or closes the session's PR on the built-in local
   * forge; GitHub PRs are merged on GitHub and reach Parallax by webhook or poll.
   */
  decidePullRequest: orgProcedureWith('sessions:dispatch')
    .input(ZSessionRef.extend({ decision: z.enum(['merge', 'close']) }))
    .mutation(async ({ ctx, input }) => {
      const session = await ctx.tenant((tx) => getSessionRef(tx, { ...input, viewer: steerer(ctx) }));
      const pr = await ctx.tenant((tx) => tx.pullRequest.findUnique({ where: { sessionId: input.sessionId } }));
      if (!pr) throw invalid('This session has no pull request.');
      if (pr.forge !== 'LOCAL') throw invalid(`Pull request #${pr.number} is on ${pr.forge}; merge or close it there.`);
      // On the local forge a PR is merged by a member: record who by user id.
      const forge = createLocalForge({ db: ctx.db });
      const decided =
        input.decision === 'merge'
          ? await forge.mergePullRequest({ orgId: input.orgId, pullRequestId: pr.id, mergedBy: ctx.auth.userId })
          : await forge.closePullRequest({ orgId: input.orgId, pullRequestId: pr.id, closedBy: ctx.auth.userId });
      // The workflow records the end of its follow-up now rather than at its next poll.
      await ctx.fleet.pullRequestChanged(session.workflowId).catch(() => false);
      return { state: decided.state, number: decided.number, mergeSha: decided.mergeSha };
    }),
});

/** Developers steer their own sessions; leads and admins anyone's. */
function steerer(ctx: { auth: { userId: string }; membership: { role: Parameters<typeof can>[0] } }) {
  return { userId: ctx.auth.userId, seesEveryone: can(ctx.membership.role, 'sessions:read-all') && ctx.membership.role !== 'AUDITOR' };
}
