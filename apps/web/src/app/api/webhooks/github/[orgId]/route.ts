import { receiveGitHubWebhook } from '@parallax/api';
import { getDb } from '~/server/db.ts';
import { fleet } from '~/server/temporal.ts';

// GitHub's pull_request deliveries for one org (the repository's or App's webhook URL:
// https://<host>/api/webhooks/github/<orgId>, content type application/json).
export async function POST(req: Request, { params }: { params: Promise<{ orgId: string }> }) {
  const { orgId } = await params;
  const { status, body } = await receiveGitHubWebhook({
    db: getDb(),
    fleet,
    orgId,
    secret: process.env.GITHUB_WEBHOOK_SECRET,
    event: req.headers.get('x-github-event'),
    signature: req.headers.get('x-hub-signature-256'),
    // The signature covers the exact bytes GitHub sent: never re-serialize.
    rawBody: Buffer.from(await req.arrayBuffer()),
  });
  return Response.json(body, { status });
}
