import { createContext } from '@parallax/api';
import { headers } from 'next/headers';
import { getBrowserSession } from './auth.ts';
import { clientIp } from './client-ip.ts';
import { getDb } from './db.ts';
import { fleet, provisioner } from './temporal.ts';

/** The tRPC context for a request from the browser or a server component: the session decides who is calling. */
export async function createRequestContext() {
  const [session, requestHeaders] = await Promise.all([getBrowserSession(), headers()]);
  return createContext({
    auth: session ? { userId: session.userId, browserSessionId: session.sessionId } : null,
    db: getDb(),
    provisioner,
    fleet,
    ip: clientIp((name) => requestHeaders.get(name)),
  });
}
