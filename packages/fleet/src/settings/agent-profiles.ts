import { z } from 'zod';
import type { Prisma, Tx } from '@parallax/db';
import { ZAllowedHosts } from '@parallax/sandbox';
import { conflict, notFound, recordAudit } from '@parallax/tenancy';

export const ZAgentProfileInput = z
  .object({
    name: z.string().trim().min(1, { message: 'Name the profile' }).max(60),
    adapter: z.enum(['SCRIPT', 'CLAUDE_CODE', 'CODEX', 'AIDER', 'OPENCODE', 'COMMAND']),
    commandTemplate: z.string().trim().max(2000).optional().nullable(),
    config: z.record(z.string(), z.unknown()).default({}),
    /** What the agent's sandbox may reach (the model provider's API); nothing else. */
    allowedHosts: ZAllowedHosts.default([]),
    /** The org's agent secrets (Settings → Integrations) given to the agent as variables of these names. */
    secretNames: z
      .array(
        z
          .string()
          .trim()
          .max(64, { message: 'Use at most 64 characters for a secret name' })
          .regex(/^[A-Z_][A-Z0-9_]{0,63}$/, { message: 'Secret names are like ANTHROPIC_API_KEY' }),
      )
      .max(20, { message: 'At most 20 secrets' })
      .default([])
      .transform((names) => [...new Set(names)]),
  })
  .refine((p) => p.adapter !== 'COMMAND' || Boolean(p.commandTemplate?.includes('{prompt}')), {
    message: 'A command profile needs a template that uses {prompt}',
    path: ['commandTemplate'],
  });
export type TAgentProfileInput = z.input<typeof ZAgentProfileInput>;

/**
 * How this org's agents have been running lately: the mode its latest session recorded,
 * and how many of the last 30 days' sessions ran without a sandbox. The web app cannot
 * ask the workers; what they recorded is what the org's agents really got.
 */
export async function sandboxStatus(tx: Tx, orgId: string) {
  const since = new Date(Date.now() - 30 * 24 * 3600_000);
  const [latest, unsandboxed] = await Promise.all([
    tx.agentSession.findFirst({
      where: { orgId, sandboxMode: { not: null } },
      orderBy: { startedAt: 'desc' },
      select: { sandboxMode: true, startedAt: true },
    }),
    tx.agentSession.count({ where: { orgId, sandboxMode: 'unsandboxed', startedAt: { gte: since } } }),
  ]);
  return { latestMode: latest?.sandboxMode ?? null, latestAt: latest?.startedAt ?? null, unsandboxedLast30Days: unsandboxed };
}

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
