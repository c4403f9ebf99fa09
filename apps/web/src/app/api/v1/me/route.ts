import { authenticateApiToken } from '@parallax/auth';
import { getDb } from '~/server/db.ts';

// The CLI's `plx login` check: who does this API token act for, in which org, with which scopes.
export async function GET(req: Request) {
  const header = req.headers.get('authorization');
  if (!header) return Response.json({ error: 'Missing Authorization header: send "Authorization: Bearer <token>".' }, { status: 401 });
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  if (!match?.[1]) return Response.json({ error: 'Malformed Authorization header: expected "Bearer <token>".' }, { status: 400 });
  const identity = await authenticateApiToken(getDb(), match[1]);
  if (!identity) return Response.json({ error: 'The API token is unknown, revoked or expired.' }, { status: 401 });
  return Response.json(identity);
}
