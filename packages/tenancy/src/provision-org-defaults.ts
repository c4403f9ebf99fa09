import type { Database } from '@parallax/db';
import { DEFAULT_SLA_MINUTES } from './sla-defaults.ts';

/**
 * Gives a new org what it needs before its first dispatch: the default SLA policy
 * per task type and a `script` agent profile (runs without a model). Idempotent, so
 * the provisioning workflow may retry it freely. Returns what it created.
 */
export async function provisionOrgDefaults(db: Database, orgId: string): Promise<{ created: string[] }> {
  return db.forOrg(orgId, async (tx) => {
    const org = await tx.organization.findUnique({ where: { id: orgId } });
    if (!org) throw new Error(`organization ${orgId} does not exist`);
    const created: string[] = [];
    const existing = new Set((await tx.slaPolicy.findMany({ select: { taskType: true } })).map((p) => p.taskType));
    for (const [taskType, minutes] of Object.entries(DEFAULT_SLA_MINUTES)) {
      if (existing.has(taskType as keyof typeof DEFAULT_SLA_MINUTES)) continue;
      await tx.slaPolicy.create({
        data: { orgId, taskType: taskType as keyof typeof DEFAULT_SLA_MINUTES, minutes, effectiveFrom: org.createdAt },
      });
      created.push(`sla:${taskType}`);
    }
    const profile = await tx.agentProfile.findUnique({ where: { orgId_name: { orgId, name: 'script' } } });
    if (!profile) {
      await tx.agentProfile.create({
        data: { orgId, name: 'script', adapter: 'SCRIPT', config: { description: 'Deterministic recipe runner, no model' } },
      });
      created.push('agent-profile:script');
    }
    if (!org.provisionedAt) await tx.organization.update({ where: { id: orgId }, data: { provisionedAt: new Date() } });
    return { created };
  });
}
