import { z } from 'zod';
import { changePassword, endBrowserSession, endOtherBrowserSessions, listBrowserSessions, ZChangePasswordInput } from '@parallax/auth';
import { createTRPCRouter, protectedProcedure } from '../trpc.ts';

// The signed-in user's own account: their browser sessions and their password. No org:
// a session belongs to the person, whichever orgs they work in.
export const securityRouter = createTRPCRouter({
  listSessions: protectedProcedure.query(({ ctx }) =>
    listBrowserSessions(ctx.db, { userId: ctx.auth.userId, currentSessionId: ctx.auth.browserSessionId }),
  ),
  endSession: protectedProcedure.input(z.object({ browserSessionId: z.string().min(1).max(64) })).mutation(async ({ ctx, input }) => {
    await endBrowserSession(ctx.db, { userId: ctx.auth.userId, browserSessionId: input.browserSessionId });
    return { ok: true as const, endedCurrent: input.browserSessionId === ctx.auth.browserSessionId };
  }),
  endOtherSessions: protectedProcedure.mutation(({ ctx }) =>
    ctx.db.scoped({}, (tx) => endOtherBrowserSessions(tx, { userId: ctx.auth.userId, keepSessionId: ctx.auth.browserSessionId })),
  ),
  changePassword: protectedProcedure
    .input(ZChangePasswordInput)
    .mutation(({ ctx, input }) =>
      changePassword(ctx.db, { ...input, userId: ctx.auth.userId, currentSessionId: ctx.auth.browserSessionId }),
    ),
});
