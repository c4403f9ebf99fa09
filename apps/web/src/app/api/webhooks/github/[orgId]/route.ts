import { receiveGitHubWebhook } from '@parallax/api';
import { clientIp } from '~/server/client-ip.ts';
import { getDb } from '~/server/db.ts';
import { fleet } from '~/server/temporal.ts';

// GitHub's pull_request deliveries for one org (the repository's or App's webhook URL:
// https://<host>/api/webhooks/github/<orgId>, content type application/json, the secret
// generated in Settings → Integrations). The body stays a stream: the handler reads it
// only up to its limit, and the signature covers the exact bytes GitHub sent.
export async function POST(request: Request, { params }: { params: Promise<{ orgId: string }> }) {
  const { orgId } = await params;
  const { status, body } = await receiveGitHubWebhook({ db: getDb(), fleet, orgId, request, sourceAddress: sourceAddressOf(request) });
  return Response.json(body, { status });
}

/** The sender's address for the delivery log: the one place to change when the web edge provides the socket's address. */
function sourceAddressOf(request: Request): string | null {
  return clientIp((name) => request.headers.get(name));
}
