// The log of webhook deliveries an org's admins see in Settings → Integrations: every
// refusal with its reason and source, and the accepted ones. A row needs an org that
// exists (foreign key); deliveries for unknown orgs go to the server log only.
import type { Database, IntegrationKind } from '@parallax/db';

export interface DeliveryRecord {
  orgId: string;
  provider: IntegrationKind;
  accepted: boolean;
  reason: string;
  deliveryId: string | null;
  event: string | null;
  sourceAddress: string | null;
}

/** Rows older than this are pruned as new ones arrive: the log answers "what happened lately", not an archive. */
const KEEP_DAYS = 30;

/** Header values go into the log as printable text of a bounded length: a sender controls them. */
export function loggable(value: string | null | undefined, max = 100): string | null {
  if (!value) return null;
  const printable = value.replace(/[^\x20-\x7e]/g, '?').trim();
  return printable ? printable.slice(0, max) : null;
}

/**
 * Anyone who knows an org's URL can post to it: past this many refusals a minute, further
 * ones go to the server log only, so a flood cannot fill the table (accepted ones are signed).
 */
export const REFUSALS_LOGGED_PER_MINUTE = 60;

/** Writes the delivery to the org's log; false when a refusal was left to the server log by the flood limit. */
export async function recordDelivery(db: Database, r: DeliveryRecord): Promise<boolean> {
  return db.forOrg(r.orgId, async (tx) => {
    if (!r.accepted) {
      const recent = await tx.webhookDelivery.count({
        where: { orgId: r.orgId, accepted: false, receivedAt: { gt: new Date(Date.now() - 60_000) } },
      });
      if (recent >= REFUSALS_LOGGED_PER_MINUTE) return false;
    }
    await tx.webhookDelivery.create({ data: { ...r, reason: r.reason.slice(0, 500) } });
    await tx.webhookDelivery.deleteMany({ where: { orgId: r.orgId, receivedAt: { lt: new Date(Date.now() - KEEP_DAYS * 86_400_000) } } });
    return true;
  });
}

export async function listDeliveries(db: Database, o: { orgId: string; provider: IntegrationKind; limit: number }) {
  return db.forOrg(o.orgId, (tx) =>
    tx.webhookDelivery.findMany({
      where: { orgId: o.orgId, provider: o.provider },
      orderBy: { receivedAt: 'desc' },
      take: o.limit,
      select: { id: true, deliveryId: true, event: true, accepted: true, reason: true, sourceAddress: true, receivedAt: true },
    }),
  );
}
