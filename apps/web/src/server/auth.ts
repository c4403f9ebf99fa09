import { linkGitHubUser, verifyCredentials } from '@parallax/auth';
import type { NextAuthOptions } from 'next-auth';
import { getServerSession } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import GitHubProvider from 'next-auth/providers/github';
import { clientIp } from './client-ip.ts';
import { getDb } from './db.ts';

export const isGitHubConfigured = Boolean(process.env.GITHUB_ID && process.env.GITHUB_SECRET);

export const authOptions: NextAuthOptions = {
  // The credentials provider only works with JWT sessions.
  session: { strategy: 'jwt' },
  secret: process.env.NEXTAUTH_SECRET,
  pages: { signIn: '/signin', error: '/signin' },
  providers: [
    CredentialsProvider({
      name: 'Email and password',
      credentials: { email: { label: 'Email', type: 'email' }, password: { label: 'Password', type: 'password' } },
      async authorize(credentials, req) {
        if (!credentials?.email || !credentials.password) return null;
        // A rate-limit AppError propagates: next-auth hands its message to the sign-in page.
        const user = await verifyCredentials(getDb(), {
          email: credentials.email,
          password: credentials.password,
          ip: clientIp((name) => {
            const value = req.headers?.[name];
            return typeof value === 'string' ? value : undefined;
          }),
        });
        return user ? { id: user.id, email: user.email, name: user.name } : null;
      },
    }),
    ...(isGitHubConfigured ? [GitHubProvider({ clientId: process.env.GITHUB_ID!, clientSecret: process.env.GITHUB_SECRET! })] : []),
  ],
  callbacks: {
    signIn({ user, account }) {
      if (account?.provider === 'github' && !user.email) return '/signin?error=GitHubNoEmail';
      return true;
    },
    async jwt({ token, user, account, profile }) {
      if (account?.provider === 'github') {
        // Our own user behind this GitHub account (found or created), not GitHub's id.
        const linked = await linkGitHubUser(getDb(), {
          providerAccountId: account.providerAccountId,
          email: user.email,
          name: user.name ?? (profile as { login?: string } | undefined)?.login ?? null,
          image: user.image ?? null,
        });
        token.userId = linked.id;
      } else if (user) {
        token.userId = user.id;
      }
      return token;
    },
    session({ session, token }) {
      if (session.user && typeof token.userId === 'string') session.user.id = token.userId;
      return session;
    },
  },
};

/** The signed-in user's id on the server, or null. */
export async function getSessionUserId(): Promise<string | null> {
  const session = await getServerSession(authOptions);
  return session?.user?.id ?? null;
}
