import type { SecretKind, Tx } from '@parallax/db';

/** What anyone may see of an org's secrets after the moment they were shown: never the value, never the sealed text. */
export interface SecretSummary {
  id: string;
  kind: SecretKind;
  name: string;
  hint: string;
  createdAt: Date;
  rotatedAt: Date | null;
  /** Until when the value before the last rotation still verifies (null: no overlap running). */
  previousValidUntil: Date | null;
}

export async function listSecrets(tx: Tx, o: { orgId: string; kind?: SecretKind; now?: Date }): Promise<SecretSummary[]> {
  const now = o.now ?? new Date();
  const rows = await tx.orgSecret.findMany({
    where: { orgId: o.orgId, ...(o.kind ? { kind: o.kind } : {}) },
    select: {
      id: true,
      kind: true,
      name: true,
      hint: true,
      createdAt: true,
      rotatedAt: true,
      previousSealed: true,
      previousExpiresAt: true,
    },
    orderBy: [{ kind: 'asc' }, { name: 'asc' }],
  });
  return rows.map(({ previousSealed, previousExpiresAt, ...row }) => ({
    ...row,
    previousValidUntil: previousSealed && previousExpiresAt && previousExpiresAt > now ? previousExpiresAt : null,
  }));
}
