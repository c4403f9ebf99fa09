import { createContext } from '@parallax/api';
import { headers } from 'next/headers';
import { getSessionUserId } from './auth.ts';
import { clientIp } from './client-ip.ts';
import { getDb } from './db.ts';
import { fleet, provisioner } from './temporal.ts';

/** The tRPC context for a request from the browser or a server component: the session decides who is calling. */
export async function createRequestContext() {
  const [userId, requestHeaders] = await Promise.all([getSessionUserId(), headers()]);
  return createContext({
    auth: userId ? { userId } : null,
    db: getDb(),
    provisioner,
    fleet,
    ip: clientIp((name) => requestHeaders.get(name)),
  });
}
