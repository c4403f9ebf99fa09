import { z } from 'zod';
import type { Prisma, Tx } from '@parallax/db';
import { conflict, notFound, recordAudit } from '@parallax/tenancy';

export const ZAgentProfileInput = z
  .object({
    name: z.string().trim().min(1, { message: 'Name the profile' }).max(60),
    adapter: z.enum(['SCRIPT', 'CLAUDE_CODE', 'CODEX', 'AIDER', 'OPENCODE', 'COMMAND']),
    commandTemplate: z.string().trim().max(2000).optional().nullable(),
    config: z.record(z.string(), z.unknown()).default({}),
  })
  .refine((p) => p.adapter !== 'COMMAND' || Boolean(p.commandTemplate?.includes('{prompt}')), {
    message: 'A command profile needs a template that uses {prompt}',
    path: ['commandTemplate'],
  });
export type TAgentProfileInput = z.input<typeof ZAgentProfileInput>;

export async function listAgentProfiles(tx: Tx, orgId: string) {
  return tx.agentProfile.findMany({ where: { orgId }, orderBy: { createdAt: 'asc' } });
}

export async function saveAgentProfile(
  tx: Tx,
  input: { orgId: string; actorUserId: string; profileId?: string; settings: TAgentProfileInput },
) {
  const data = ZAgentProfileInput.parse(input.settings);
  if (input.profileId && !(await tx.agentProfile.findFirst({ where: { id: input.profileId, orgId: input.orgId } })))
    throw notFound('Agent profile');
  const clash = await tx.agentProfile.findFirst({
    where: { orgId: input.orgId, name: data.name, ...(input.profileId ? { id: { not: input.profileId } } : {}) },
  });
  if (clash) throw conflict(`An agent profile named "${data.name}" already exists.`);
  const row = { ...data, config: data.config as Prisma.InputJsonValue };
  const profile = input.profileId
    ? await tx.agentProfile.update({ where: { id: input.profileId }, data: row })
    : await tx.agentProfile.create({ data: { ...row, orgId: input.orgId } });
  await recordAudit(tx, {
    orgId: input.orgId,
    actorUserId: input.actorUserId,
    action: input.profileId ? 'agent_profile.update' : 'agent_profile.create',
    targetType: 'AgentProfile',
    targetId: profile.id,
  });
  return profile;
}
