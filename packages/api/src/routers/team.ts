import { z } from 'zod';
import { addTeamMember, createTeam, listTeams, removeTeamMember, ZTeamName } from '@parallax/tenancy';
import { createTRPCRouter, orgProcedure, orgProcedureWith, ZOrgScoped } from '../trpc.ts';

const ZTeamMembership = ZOrgScoped.extend({ teamId: z.string().min(1).max(64), membershipId: z.string().min(1).max(64) });

export const teamRouter = createTRPCRouter({
  list: orgProcedure.input(ZOrgScoped).query(({ ctx }) => ctx.tenant((tx) => listTeams(tx, ctx.membership.orgId))),
  create: orgProcedureWith('teams:manage')
    .input(ZOrgScoped.extend({ name: ZTeamName }))
    .mutation(({ ctx, input }) =>
      ctx.tenant((tx) => createTeam(tx, { orgId: input.orgId, actorUserId: ctx.auth.userId, name: input.name })),
    ),
  addMember: orgProcedureWith('teams:manage')
    .input(ZTeamMembership)
    .mutation(async ({ ctx, input }) => {
      await ctx.tenant((tx) => addTeamMember(tx, { ...input, actorUserId: ctx.auth.userId }));
      return { ok: true as const };
    }),
  removeMember: orgProcedureWith('teams:manage')
    .input(ZTeamMembership)
    .mutation(async ({ ctx, input }) => {
      await ctx.tenant((tx) => removeTeamMember(tx, { ...input, actorUserId: ctx.auth.userId }));
      return { ok: true as const };
    }),
});
