import { z } from 'zod';
import type { Database } from '@parallax/db';
import { invalid, notFound } from '@parallax/tenancy';
import { endOtherBrowserSessions } from './browser-sessions.ts';
import { hashPassword, verifyPassword } from './password.ts';
import { ZPassword } from './schemas.ts';
import { chargeAttempt, settleSuccess, SIGN_IN_PER_PAIR } from './sign-in-backoff.ts';

export const ZChangePasswordInput = z.object({
  currentPassword: z.string().min(1, { message: 'Enter your current password' }).max(200),
  newPassword: ZPassword,
});
export type TChangePasswordInput = z.infer<typeof ZChangePasswordInput>;

/**
 * Sets a new password after checking the current one, and ends every other session of
 * the user: whoever knew the old password, or holds a stolen cookie, is signed out.
 * Wrong current passwords back off like sign-ins, so a borrowed browser cannot guess it.
 */
export async function changePassword(
  db: Database,
  input: TChangePasswordInput & { userId: string; currentSessionId?: string | null },
  now = new Date(),
): Promise<{ endedSessions: number }> {
  const { currentPassword, newPassword } = ZChangePasswordInput.parse(input);
  const user = await db.scoped({}, (tx) => tx.user.findUnique({ where: { id: input.userId } }));
  if (!user) throw notFound('User');
  if (!user.passwordHash) throw invalid('Your account signs in with GitHub and has no password to change.');
  const key = `password:user:${user.id}`;
  await chargeAttempt(db, [{ key, policy: SIGN_IN_PER_PAIR }], now);
  if (!(await verifyPassword(currentPassword, user.passwordHash))) throw invalid('The current password is incorrect.');
  await settleSuccess(db, { forget: [key], refund: [] });
  if (currentPassword.normalize('NFKC') === newPassword.normalize('NFKC')) throw invalid('Choose a new password, not the current one.');
  const passwordHash = await hashPassword(newPassword);
  return db.scoped({}, async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { passwordHash } });
    const { ended } = await endOtherBrowserSessions(tx, { userId: user.id, keepSessionId: input.currentSessionId ?? null });
    return { endedSessions: ended };
  });
}
