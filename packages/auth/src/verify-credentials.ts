import type { Database } from '@parallax/db';
import { decoyHash, verifyPassword } from './password.ts';
import { consumeRateLimit, SIGN_IN_PER_EMAIL, SIGN_IN_PER_IP } from './rate-limit.ts';
import { ZEmail } from './schemas.ts';

export interface SignedInUser {
  id: string;
  email: string;
  name: string | null;
}

/**
 * The credentials check behind next-auth's sign-in. Rate-limited per email and per
 * client address; an unknown email costs the same hashing time as a wrong password,
 * so timing does not tell which emails have accounts.
 */
export async function verifyCredentials(
  db: Database,
  input: { email: unknown; password: unknown; ip?: string | null },
): Promise<SignedInUser | null> {
  const email = ZEmail.safeParse(input.email);
  if (!email.success || typeof input.password !== 'string' || input.password.length === 0 || input.password.length > 200) return null;
  await consumeRateLimit(db, `signin:email:${email.data}`, SIGN_IN_PER_EMAIL);
  if (input.ip) await consumeRateLimit(db, `signin:ip:${input.ip}`, SIGN_IN_PER_IP);
  const user = await db.scoped({}, (tx) => tx.user.findUnique({ where: { email: email.data } }));
  const ok = await verifyPassword(input.password, user?.passwordHash ?? (await decoyHash()));
  if (!user?.passwordHash || !ok) return null;
  return { id: user.id, email: user.email, name: user.name };
}
