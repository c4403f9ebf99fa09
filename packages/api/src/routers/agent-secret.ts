// Agent secrets (Settings → Integrations): variables an org's agents get, entered by an
// admin and never shown again; the list has names and hints only.
import { deleteAgentSecret, listSecrets, setAgentSecret, ZAgentSecretName, ZAgentSecretValue } from '@parallax/secrets';
import { createTRPCRouter, orgProcedureWith, ZOrgScoped } from '../trpc.ts';
import { requireKeyring } from './secrets-keyring.ts';

const manage = orgProcedureWith('fleet:configure');

export const agentSecretRouter = createTRPCRouter({
  list: manage.input(ZOrgScoped).query(({ ctx, input }) => ctx.tenant((tx) => listSecrets(tx, { orgId: input.orgId, kind: 'AGENT_ENV' }))),
  set: manage.input(ZOrgScoped.extend({ name: ZAgentSecretName, value: ZAgentSecretValue })).mutation(({ ctx, input }) => {
    const keyring = requireKeyring();
    return ctx.tenant((tx) =>
      setAgentSecret(tx, { orgId: input.orgId, actorUserId: ctx.auth.userId, name: input.name, value: input.value, keyring }),
    );
  }),
  delete: manage.input(ZOrgScoped.extend({ name: ZAgentSecretName })).mutation(async ({ ctx, input }) => {
    await ctx.tenant((tx) => deleteAgentSecret(tx, { orgId: input.orgId, actorUserId: ctx.auth.userId, name: input.name }));
    return { deleted: true };
  }),
});
