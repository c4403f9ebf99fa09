import {
  BROWSER_SESSION_MAX_AGE_SECONDS,
  endBrowserSessionBySecret,
  linkGitHubUser,
  resolveBrowserSession,
  startBrowserSession,
  verifyCredentials,
  type ActiveBrowserSession,
} from '@parallax/auth';
import type { NextAuthOptions } from 'next-auth';
import { getToken, type JWT } from 'next-auth/jwt';
import CredentialsProvider from 'next-auth/providers/credentials';
import GitHubProvider from 'next-auth/providers/github';
import { cookies, headers } from 'next/headers';
import { cache } from 'react';
import { clientIp } from './client-ip.ts';
import { getDb } from './db.ts';

export const isGitHubConfigured = Boolean(process.env.GITHUB_ID && process.env.GITHUB_SECRET);

const SESSION_ENDED = 'The browser session has ended';

async function requestClient() {
  const requestHeaders = await headers();
  return { userAgent: requestHeaders.get('user-agent'), ipAddress: clientIp((name) => requestHeaders.get(name)) };
}

export const authOptions: NextAuthOptions = {
  // The credentials provider only works with JWT sessions: the JWT carries the secret of
  // a Session row (@parallax/auth browser-sessions.ts), checked on every request.
  session: { strategy: 'jwt', maxAge: BROWSER_SESSION_MAX_AGE_SECONDS },
  secret: process.env.NEXTAUTH_SECRET,
  pages: { signIn: '/signin', error: '/signin' },
  providers: [
    CredentialsProvider({
      name: 'Email and password',
      credentials: { email: { label: 'Email', type: 'email' }, password: { label: 'Password', type: 'password' } },
      async authorize(credentials) {
        if (!credentials?.email || !credentials.password) return null;
        // A backoff AppError propagates: next-auth hands its message to the sign-in page.
        const user = await verifyCredentials(getDb(), {
          email: credentials.email,
          password: credentials.password,
          ip: (await requestClient()).ipAddress,
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
      if (user) {
        // Signing in: our own user (for GitHub, found or created, not GitHub's id) and a new session row.
        const userId =
          account?.provider === 'github'
            ? (
                await linkGitHubUser(getDb(), {
                  providerAccountId: account.providerAccountId,
                  email: user.email,
                  name: user.name ?? (profile as { login?: string } | undefined)?.login ?? null,
                  image: user.image ?? null,
                })
              ).id
            : user.id;
        const { secret } = await startBrowserSession(getDb(), { userId, client: await requestClient() });
        return { ...token, userId, sid: secret };
      }
      // Any later read (/api/auth/session): throwing makes next-auth clear the cookie.
      if (!(await resolveBrowserSession(getDb(), token.sid))) throw new Error(SESSION_ENDED);
      return token;
    },
    session({ session, token }) {
      if (session.user && typeof token.userId === 'string') session.user.id = token.userId;
      return session;
    },
  },
  events: {
    async signOut({ token }) {
      await endBrowserSessionBySecret(getDb(), (token as JWT | null)?.sid);
    },
  },
  logger: {
    error(code, metadata) {
      // An ended session is expected, not an error worth a stack trace.
      if (code === 'JWT_SESSION_ERROR' && metadata instanceof Error && metadata.message === SESSION_ENDED) return;
      console.error(`[next-auth][error][${code}]`, metadata);
    },
    warn(code) {
      console.warn(`[next-auth][warn][${code}]`);
    },
    debug() {},
  },
};

/**
 * The live browser session behind a request's cookie, or null. Decodes the JWT and
 * checks its Session row; only the cookie counts (getToken would also take a bearer JWT).
 */
export async function readBrowserSession(request: { cookies: unknown }): Promise<ActiveBrowserSession | null> {
  const token = await getToken({ req: { cookies: request.cookies, headers: {} } as Parameters<typeof getToken>[0]['req'] });
  if (!token || typeof token.userId !== 'string') return null;
  const session = await resolveBrowserSession(getDb(), token.sid);
  return session && session.userId === token.userId ? session : null;
}

/** The browser session of the request being served (pages, server components, route handlers); read once per render. */
export const getBrowserSession = cache(async (): Promise<ActiveBrowserSession | null> => readBrowserSession({ cookies: await cookies() }));

/** The signed-in user's id on the server, or null. */
export async function getSessionUserId(): Promise<string | null> {
  return (await getBrowserSession())?.userId ?? null;
}
