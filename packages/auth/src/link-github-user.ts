import type { Database } from '@parallax/db';
import { invalid } from '@parallax/tenancy';

export interface GitHubProfile {
  providerAccountId: string;
  email: string | null | undefined;
  name?: string | null;
  image?: string | null;
}

/**
 * Finds or creates the user behind a GitHub sign-in. An existing account is found by
 * its linked GitHub id first, then by verified email (GitHub only returns verified
 * primary emails), so a self-hosted user can later add GitHub to the same account.
 */
export async function linkGitHubUser(db: Database, profile: GitHubProfile): Promise<{ id: string }> {
  return db.scoped({}, async (tx) => {
    const linked = await tx.account.findUnique({
      where: { provider_providerAccountId: { provider: 'github', providerAccountId: profile.providerAccountId } },
    });
    if (linked) return { id: linked.userId };
    if (!profile.email) throw invalid('Your GitHub account has no public verified email; add one or sign up with email.');
    const email = profile.email.toLowerCase();
    const user =
      (await tx.user.findUnique({ where: { email } })) ??
      (await tx.user.create({ data: { email, name: profile.name ?? null, image: profile.image ?? null, emailVerified: new Date() } }));
    await tx.account.create({
      data: { userId: user.id, type: 'oauth', provider: 'github', providerAccountId: profile.providerAccountId },
    });
    return { id: user.id };
  });
}
