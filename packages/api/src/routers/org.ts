import { rebuildEvidence } from '@parallax/evidence';
import { z } from 'zod';
import {
  createOrganization,
  getOrganization,
  provisionOrgDefaults,
  updateOrganization,
  ZOrgName,
  ZOrgSettings,
  ZSlug,
  ZTimeZone,
} from '@parallax/tenancy';
import { createTRPCRouter, orgProcedure, orgProcedureWith, protectedProcedure, ZOrgScoped } from '../trpc.ts';

export const orgRouter = createTRPCRouter({
  create: protectedProcedure.input(z.object({ name: ZOrgName, slug: ZSlug.optional() })).mutation(async ({ ctx, input }) => {
    const org = await createOrganization(ctx.db, { userId: ctx.auth.userId, ...input });
    // Defaults come from the provisioning workflow; when Temporal cannot be reached the
    // same idempotent step runs inline, so a new org is never left without them.
    await ctx.provisioner.provisionOrg(org.id).catch(async (error: unknown) => {
      console.warn(`provisioning workflow for org ${org.id} could not start (${String(error)}); provisioning inline`);
      await provisionOrgDefaults(ctx.db, org.id);
    });
    return org;
  }),
  get: orgProcedure.input(ZOrgScoped).query(({ ctx }) => ctx.tenant((tx) => getOrganization(tx, ctx.membership.orgId))),
  update: orgProcedureWith('org:update')
    // IANA names are short; the bound keeps a huge string from the list lookup.
    .input(
      ZOrgScoped.extend({
        ...ZOrgSettings.shape,
        timeZone: z.string().max(64, { message: 'Use at most 64 characters' }).pipe(ZTimeZone).optional(),
      }),
    )
    .mutation(async ({ ctx, input: { orgId, ...patch } }) => {
      const before = await ctx.tenant((tx) => getOrganization(tx, orgId));
      const org = await ctx.tenant((tx) => updateOrganization(tx, { orgId, actorUserId: ctx.auth.userId, patch }));
      // The rollups' days are the org's: a new zone moves every day boundary, so they are recomputed.
      if (patch.timeZone && patch.timeZone !== before.timeZone) {
        rebuildEvidence(ctx.db, orgId).catch((error) =>
          console.error(`evidence rebuild for org ${orgId} after a time zone change failed:`, error),
        );
      }
      return org;
    }),
});
