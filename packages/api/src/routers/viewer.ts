import { getViewer, setLastOrg } from '@parallax/tenancy';
import { createTRPCRouter, orgProcedure, protectedProcedure, ZOrgScoped } from '../trpc.ts';

export const viewerRouter = createTRPCRouter({
  me: protectedProcedure.query(({ ctx }) => getViewer(ctx.db, ctx.auth.userId)),
  /** Remembers the org the user last worked in (the landing page opens it). */
  setLastOrg: orgProcedure.input(ZOrgScoped).mutation(async ({ ctx }) => {
    await setLastOrg(ctx.db, { userId: ctx.auth.userId, orgId: ctx.membership.orgId });
    return { ok: true as const };
  }),
});
