// Secrets an org shares with a sender of webhooks (GitHub today, Slack and PagerDuty
// next): generated here, shown once in the answer of generate/rotate, then only
// opened to verify a delivery. Rotation keeps the old value verifying for an overlap
// window, so deliveries GitHub is already retrying, or sent before the admin pasted
// the new value, are not lost.
import { randomBytes } from 'node:crypto';
import type { SecretKind, Tx } from '@parallax/db';
import { recordAudit } from '@parallax/tenancy';
import { z } from 'zod';
import type { Keyring } from './keyring.ts';
import { hintOf, open, seal } from './seal.ts';

export const WEBHOOK_SECRET_KINDS = ['GITHUB_WEBHOOK', 'SLACK_SIGNING', 'PAGERDUTY_WEBHOOK'] as const satisfies readonly SecretKind[];
export type WebhookSecretKind = (typeof WEBHOOK_SECRET_KINDS)[number];
/** One webhook secret per kind per org. */
const NAME = 'default';

export const DEFAULT_OVERLAP_HOURS = 24;
export const ZOverlapHours = z
  .number()
  .int({ message: 'Give the overlap in whole hours' })
  .min(0, { message: 'The overlap cannot be negative' })
  .max(7 * 24, { message: 'Keep the overlap to at most 7 days (168 hours)' });

export interface GeneratedWebhookSecret {
  /** The value to paste into the sender's settings. Returned here and nowhere else, ever. */
  secret: string;
  hint: string;
  /** Until when the replaced value still verifies (null on first generation or with no overlap). */
  previousValidUntil: Date | null;
}

/** Generates the org's webhook secret of a kind, or rotates it (the old value keeps verifying for `overlapHours`). */
export async function generateWebhookSecret(
  tx: Tx,
  o: { orgId: string; actorUserId: string; kind: WebhookSecretKind; keyring: Keyring; overlapHours?: number; now?: Date },
): Promise<GeneratedWebhookSecret> {
  const overlapHours = ZOverlapHours.parse(o.overlapHours ?? DEFAULT_OVERLAP_HOURS);
  const now = o.now ?? new Date();
  const secret = `pxwh_${randomBytes(32).toString('base64url')}`;
  const context = { orgId: o.orgId, kind: o.kind, name: NAME };
  const sealed = seal(o.keyring, context, secret);
  const hint = hintOf(secret);
  const existing = await tx.orgSecret.findUnique({ where: { orgId_kind_name: { orgId: o.orgId, kind: o.kind, name: NAME } } });
  let previousValidUntil: Date | null = null;
  if (existing) {
    previousValidUntil = overlapHours > 0 ? new Date(now.getTime() + overlapHours * 3_600_000) : null;
    await tx.orgSecret.update({
      where: { id: existing.id },
      data: {
        sealed,
        hint,
        previousSealed: previousValidUntil ? existing.sealed : null,
        previousExpiresAt: previousValidUntil,
        rotatedAt: now,
      },
    });
  } else {
    await tx.orgSecret.create({
      data: { orgId: o.orgId, kind: o.kind, name: NAME, sealed, hint, createdById: o.actorUserId, createdAt: now },
    });
  }
  await recordAudit(tx, {
    orgId: o.orgId,
    actorUserId: o.actorUserId,
    action: existing ? 'secret.rotate' : 'secret.create',
    targetType: 'OrgSecret',
    data: { kind: o.kind, hint, ...(existing ? { overlapHours } : {}) },
  });
  return { secret, hint, previousValidUntil };
}

/**
 * The values a delivery may be signed with right now: the current one, and the
 * previous one while its overlap runs. Empty when the org has none of this kind.
 */
export async function openWebhookSecrets(
  tx: Tx,
  o: { orgId: string; kind: WebhookSecretKind; keyring: Keyring; now?: Date },
): Promise<string[]> {
  const now = o.now ?? new Date();
  const row = await tx.orgSecret.findUnique({ where: { orgId_kind_name: { orgId: o.orgId, kind: o.kind, name: NAME } } });
  if (!row) return [];
  const context = { orgId: o.orgId, kind: o.kind, name: NAME };
  const values = [open(o.keyring, context, row.sealed)];
  if (row.previousSealed && row.previousExpiresAt && row.previousExpiresAt > now) values.push(open(o.keyring, context, row.previousSealed));
  return values;
}
