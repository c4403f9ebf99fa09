import { z } from 'zod';
import { API_TOKEN_SCOPES, createApiToken, listApiTokens, revokeApiToken, ZApiTokenScope } from '@parallax/auth';
import { can } from '@parallax/tenancy';
import { createTRPCRouter, orgProcedure, ZOrgScoped } from '../trpc.ts';

// Every member may hold tokens of their own; admins see and revoke everyone's.
export const apiTokenRouter = createTRPCRouter({
  list: orgProcedure
    .input(ZOrgScoped)
    .query(({ ctx }) =>
      ctx.tenant((tx) =>
        listApiTokens(tx, { orgId: ctx.membership.orgId, userId: ctx.auth.userId, seeAll: can(ctx.membership.role, 'tokens:manage-all') }),
      ),
    ),
  create: orgProcedure
    .input(
      ZOrgScoped.extend({
        name: z.string().trim().min(1, { message: 'Name the token' }).max(60),
        scopes: z
          .array(ZApiTokenScope)
          .min(1, { message: 'Choose at least one scope' })
          .max(API_TOKEN_SCOPES.length, { message: `At most ${API_TOKEN_SCOPES.length} scopes` }),
        expiresInDays: z.number().int().min(1).max(365).optional(),
      }),
    )
    .mutation(({ ctx, input }) =>
      ctx.tenant((tx) =>
        createApiToken(tx, {
          orgId: input.orgId,
          userId: ctx.auth.userId,
          name: input.name,
          scopes: [...new Set(input.scopes)],
          expiresAt: input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 86_400_000) : null,
        }),
      ),
    ),
  revoke: orgProcedure.input(ZOrgScoped.extend({ tokenId: z.string().min(1).max(64) })).mutation(async ({ ctx, input }) => {
    await ctx.tenant((tx) =>
      revokeApiToken(tx, {
        orgId: input.orgId,
        userId: ctx.auth.userId,
        tokenId: input.tokenId,
        canRevokeOthers: can(ctx.membership.role, 'tokens:manage-all'),
      }),
    );
    return { ok: true as const };
  }),
});
