// METRICS.md "PR within SLA": the policy in force at dispatch time is recorded on the
// session; the window runs from the invocation's receipt.
import type { TaskType, Tx } from '@parallax/db';

export async function slaPolicyInForce(tx: Tx, orgId: string, taskType: TaskType, at: Date) {
  return tx.slaPolicy.findFirst({ where: { orgId, taskType, effectiveFrom: { lte: at } }, orderBy: { effectiveFrom: 'desc' } });
}
