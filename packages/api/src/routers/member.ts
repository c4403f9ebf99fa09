import { z } from 'zod';
import { listMembers, removeMember, ROLES, updateMemberRole } from '@parallax/tenancy';
import { createTRPCRouter, orgProcedure, orgProcedureWith, ZOrgScoped } from '../trpc.ts';

const ZMembershipId = z.string().min(1).max(64);

export const memberRouter = createTRPCRouter({
  list: orgProcedure.input(ZOrgScoped).query(({ ctx }) => ctx.tenant((tx) => listMembers(tx, ctx.membership.orgId))),
  updateRole: orgProcedureWith('members:manage')
    .input(ZOrgScoped.extend({ membershipId: ZMembershipId, role: z.enum(ROLES) }))
    .mutation(async ({ ctx, input }) => {
      await ctx.tenant((tx) =>
        updateMemberRole(tx, {
          orgId: input.orgId,
          actor: { userId: ctx.auth.userId, role: ctx.membership.role },
          membershipId: input.membershipId,
          role: input.role,
        }),
      );
      return { ok: true as const };
    }),
  remove: orgProcedureWith('members:manage')
    .input(ZOrgScoped.extend({ membershipId: ZMembershipId }))
    .mutation(async ({ ctx, input }) => {
      await ctx.tenant((tx) =>
        removeMember(tx, {
          orgId: input.orgId,
          actor: { userId: ctx.auth.userId, role: ctx.membership.role },
          membershipId: input.membershipId,
        }),
      );
      return { ok: true as const };
    }),
});
