import { createContext } from '@parallax/api';
import { getSessionUserId } from './auth.ts';
import { getDb } from './db.ts';
import { provisioner } from './provisioner.ts';

/** The tRPC context for a request from the browser or a server component: the session decides who is calling. */
export async function createRequestContext() {
  const userId = await getSessionUserId();
  return createContext({ auth: userId ? { userId } : null, db: getDb(), provisioner });
}
