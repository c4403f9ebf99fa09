import { z } from 'zod';
import { ZEmail } from '@parallax/auth';
import { acceptInvite, createInvite, listInvites, previewInvite, revokeInvite, ROLES } from '@parallax/tenancy';
import { createTRPCRouter, orgProcedureWith, protectedProcedure, ZOrgScoped } from '../trpc.ts';

const ZToken = z.object({ token: z.string().trim().min(1, { message: 'Paste the invite token or link' }).max(200) });

export const inviteRouter = createTRPCRouter({
  create: orgProcedureWith('invites:manage')
    .input(ZOrgScoped.extend({ role: z.enum(ROLES), email: ZEmail.optional(), expiresInDays: z.number().int().min(1).max(30).optional() }))
    .mutation(({ ctx, input }) =>
      ctx.tenant((tx) => createInvite(tx, { ...input, actor: { userId: ctx.auth.userId, role: ctx.membership.role } })),
    ),
  list: orgProcedureWith('invites:manage')
    .input(ZOrgScoped)
    .query(({ ctx }) => ctx.tenant((tx) => listInvites(tx, ctx.membership.orgId))),
  revoke: orgProcedureWith('invites:manage')
    .input(ZOrgScoped.extend({ inviteId: z.string().min(1).max(64) }))
    .mutation(async ({ ctx, input }) => {
      await ctx.tenant((tx) => revokeInvite(tx, { orgId: input.orgId, actorUserId: ctx.auth.userId, inviteId: input.inviteId }));
      return { ok: true as const };
    }),
  preview: protectedProcedure.input(ZToken).query(({ ctx, input }) => previewInvite(ctx.db, input.token)),
  accept: protectedProcedure
    .input(ZToken)
    .mutation(({ ctx, input }) => acceptInvite(ctx.db, { token: input.token, userId: ctx.auth.userId })),
});
