import type { TaskType, Tx } from '@parallax/db';
import { recordAudit } from '@parallax/tenancy';

/** The policy in force now for each task type, and its history. */
export async function listSlaPolicies(tx: Tx, orgId: string) {
  return tx.slaPolicy.findMany({ where: { orgId }, orderBy: [{ taskType: 'asc' }, { effectiveFrom: 'desc' }] });
}

/**
 * A new policy takes effect now and supersedes the old one for sessions dispatched
 * from now on; sessions already dispatched keep the policy recorded on them.
 */
export async function setSlaPolicy(tx: Tx, input: { orgId: string; actorUserId: string; taskType: TaskType; minutes: number }) {
  const policy = await tx.slaPolicy.create({
    data: { orgId: input.orgId, taskType: input.taskType, minutes: input.minutes, effectiveFrom: new Date() },
  });
  await recordAudit(tx, {
    orgId: input.orgId,
    actorUserId: input.actorUserId,
    action: 'sla_policy.set',
    targetType: 'SlaPolicy',
    targetId: policy.id,
    data: { taskType: input.taskType, minutes: input.minutes },
  });
  return policy;
}
