import type { Database } from '@parallax/db';
import { decoyHash, verifyPassword } from './password.ts';
import {
  chargeAttempt,
  settleSuccess,
  SIGN_IN_PER_ADDRESS,
  SIGN_IN_PER_EMAIL,
  SIGN_IN_PER_PAIR,
  type BackoffCharge,
} from './sign-in-backoff.ts';
import { ZEmail } from './schemas.ts';

export interface SignedInUser {
  id: string;
  email: string;
  name: string | null;
}

/**
 * The credentials check behind next-auth's sign-in. Failures slow down the email, the
 * client address and the two together (see sign-in-backoff.ts); an unknown email costs
 * the same hashing time and the same delays as a wrong password, so neither tells which
 * emails have accounts.
 */
export async function verifyCredentials(
  db: Database,
  input: { email: unknown; password: unknown; ip?: string | null },
  now = new Date(),
): Promise<SignedInUser | null> {
  const email = ZEmail.safeParse(input.email);
  if (!email.success || typeof input.password !== 'string' || input.password.length === 0 || input.password.length > 200) return null;
  const emailKey = `signin:email:${email.data}`;
  const pairKey = input.ip ? `signin:pair:${input.ip}:${email.data}` : null;
  const addressCharge: BackoffCharge | null = input.ip ? { key: `signin:ip:${input.ip}`, policy: SIGN_IN_PER_ADDRESS } : null;
  const charges: BackoffCharge[] = [{ key: emailKey, policy: SIGN_IN_PER_EMAIL }];
  if (pairKey) charges.push({ key: pairKey, policy: SIGN_IN_PER_PAIR });
  if (addressCharge) charges.push(addressCharge);
  // A refused attempt throws here: next-auth hands the message to the sign-in page.
  await chargeAttempt(db, charges, now);

  const user = await db.scoped({}, (tx) => tx.user.findUnique({ where: { email: email.data } }));
  const ok = await verifyPassword(input.password, user?.passwordHash ?? (await decoyHash()));
  if (!user?.passwordHash || !ok) return null;
  await settleSuccess(db, { forget: pairKey ? [emailKey, pairKey] : [emailKey], refund: addressCharge ? [addressCharge] : [] });
  return { id: user.id, email: user.email, name: user.name };
}
