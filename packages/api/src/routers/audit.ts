import { z } from 'zod';
import { listAudit } from '@parallax/tenancy';
import { createTRPCRouter, orgProcedureWith, ZOrgScoped } from '../trpc.ts';

export const auditRouter = createTRPCRouter({
  list: orgProcedureWith('audit:read')
    .input(ZOrgScoped.extend({ limit: z.number().int().min(1).max(500).optional() }))
    .query(({ ctx, input }) => ctx.tenant((tx) => listAudit(tx, { orgId: input.orgId, limit: input.limit ?? 100 }))),
});
