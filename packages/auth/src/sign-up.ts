import { isUniqueViolation, type Database } from '@parallax/db';
import { conflict } from '@parallax/tenancy';
import { hashPassword } from './password.ts';
import { consumeRateLimit, SIGN_UP_PER_IP } from './rate-limit.ts';
import { ZSignUpInput, type TSignUpInput } from './schemas.ts';

/** Creates a user who signs in with email and password. */
export async function signUp(db: Database, input: TSignUpInput, ip?: string): Promise<{ userId: string }> {
  const { email, password, name } = ZSignUpInput.parse(input);
  if (ip) await consumeRateLimit(db, `signup:ip:${ip}`, SIGN_UP_PER_IP);
  const passwordHash = await hashPassword(password);
  try {
    const user = await db.scoped({}, (tx) => tx.user.create({ data: { email, name, passwordHash } }));
    return { userId: user.id };
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict('An account with this email already exists. Sign in instead.');
    throw error;
  }
}
