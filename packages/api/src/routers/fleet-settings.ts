import { z } from 'zod';
import {
  listAgentProfiles,
  listRepositories,
  listSlaPolicies,
  saveAgentProfile,
  saveRepository,
  setSlaPolicy,
  ZAgentProfileInput,
  sandboxStatus,
  ZRepositoryInput,
} from '@parallax/fleet';
import { MAX_AGENT_CONFIG_BYTES, ZBoundedJsonObject } from '../limits.ts';
import { createTRPCRouter, orgProcedure, orgProcedureWith, ZOrgScoped } from '../trpc.ts';

const ZId = z.string().min(1).max(64);

// The config is stored as given and sent to every member with the list: bounded here.
const ZAgentProfileSettings = ZAgentProfileInput.safeExtend({ config: ZBoundedJsonObject(MAX_AGENT_CONFIG_BYTES).default({}) });

export const repositoryRouter = createTRPCRouter({
  list: orgProcedure.input(ZOrgScoped).query(({ ctx }) => ctx.tenant((tx) => listRepositories(tx, ctx.membership.orgId))),
  create: orgProcedureWith('fleet:configure')
    .input(ZOrgScoped.extend({ settings: ZRepositoryInput }))
    .mutation(({ ctx, input }) =>
      ctx.tenant((tx) => saveRepository(tx, { orgId: input.orgId, actorUserId: ctx.auth.userId, settings: input.settings })),
    ),
  update: orgProcedureWith('fleet:configure')
    .input(ZOrgScoped.extend({ repositoryId: ZId, settings: ZRepositoryInput }))
    .mutation(({ ctx, input }) =>
      ctx.tenant((tx) =>
        saveRepository(tx, {
          orgId: input.orgId,
          actorUserId: ctx.auth.userId,
          repositoryId: input.repositoryId,
          settings: input.settings,
        }),
      ),
    ),
});

export const agentProfileRouter = createTRPCRouter({
  list: orgProcedure.input(ZOrgScoped).query(({ ctx }) => ctx.tenant((tx) => listAgentProfiles(tx, ctx.membership.orgId))),
  sandboxStatus: orgProcedure.input(ZOrgScoped).query(({ ctx }) => ctx.tenant((tx) => sandboxStatus(tx, ctx.membership.orgId))),
  create: orgProcedureWith('fleet:configure')
    .input(ZOrgScoped.extend({ settings: ZAgentProfileSettings }))
    .mutation(({ ctx, input }) =>
      ctx.tenant((tx) => saveAgentProfile(tx, { orgId: input.orgId, actorUserId: ctx.auth.userId, settings: input.settings })),
    ),
  update: orgProcedureWith('fleet:configure')
    .input(ZOrgScoped.extend({ agentProfileId: ZId, settings: ZAgentProfileSettings }))
    .mutation(({ ctx, input }) =>
      ctx.tenant((tx) =>
        saveAgentProfile(tx, {
          orgId: input.orgId,
          actorUserId: ctx.auth.userId,
          profileId: input.agentProfileId,
          settings: input.settings,
        }),
      ),
    ),
});

export const slaPolicyRouter = createTRPCRouter({
  list: orgProcedure.input(ZOrgScoped).query(({ ctx }) => ctx.tenant((tx) => listSlaPolicies(tx, ctx.membership.orgId))),
  set: orgProcedureWith('fleet:configure')
    .input(
      ZOrgScoped.extend({
        taskType: z.enum(['STANDARD', 'COMPLEX', 'INVESTIGATION']),
        minutes: z
          .number()
          .int()
          .min(1)
          .max(7 * 24 * 60),
      }),
    )
    .mutation(({ ctx, input }) =>
      ctx.tenant((tx) =>
        setSlaPolicy(tx, { orgId: input.orgId, actorUserId: ctx.auth.userId, taskType: input.taskType, minutes: input.minutes }),
      ),
    ),
});
