import type { Prisma, Tx } from '@parallax/db';

export interface AuditEntry {
  orgId: string;
  actorUserId: string | null;
  action: string;
  targetType?: string;
  targetId?: string;
  data?: Prisma.InputJsonValue;
}

/** Appends to the org's audit log inside the caller's transaction: the change and its record commit together. */
export async function recordAudit(tx: Tx, entry: AuditEntry): Promise<void> {
  await tx.auditLog.create({ data: { ...entry, data: entry.data ?? {} } });
}

export async function listAudit(tx: Tx, input: { orgId: string; limit: number }) {
  return tx.auditLog.findMany({ where: { orgId: input.orgId }, orderBy: { at: 'desc' }, take: input.limit });
}
