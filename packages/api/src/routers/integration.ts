// Settings → Integrations: the org's GitHub webhook (its URL, its secret generated and
// rotated here and shown once, the recent deliveries). Admins and owners only.
import { generateWebhookSecret, listSecrets, ZOverlapHours } from '@parallax/secrets';
import { listDeliveries } from '../webhooks/record-delivery.ts';
import { createTRPCRouter, orgProcedureWith, ZOrgScoped } from '../trpc.ts';
import { requireKeyring } from './secrets-keyring.ts';

const manage = orgProcedureWith('org:update');

export const integrationRouter = createTRPCRouter({
  github: manage.input(ZOrgScoped).query(async ({ ctx, input }) => {
    const [secret] = await ctx.tenant((tx) => listSecrets(tx, { orgId: input.orgId, kind: 'GITHUB_WEBHOOK' }));
    const deliveries = await listDeliveries(ctx.db, { orgId: input.orgId, provider: 'GITHUB', limit: 50 });
    return { webhookPath: `/api/webhooks/github/${input.orgId}`, secret: secret ?? null, deliveries };
  }),
  /** Generates the org's GitHub webhook secret, or rotates it; the answer is the only time the value is shown. */
  generateGitHubSecret: manage.input(ZOrgScoped.extend({ overlapHours: ZOverlapHours.optional() })).mutation(({ ctx, input }) => {
    const keyring = requireKeyring();
    return ctx.tenant((tx) =>
      generateWebhookSecret(tx, {
        orgId: input.orgId,
        actorUserId: ctx.auth.userId,
        kind: 'GITHUB_WEBHOOK',
        keyring,
        overlapHours: input.overlapHours,
      }),
    );
  }),
});
