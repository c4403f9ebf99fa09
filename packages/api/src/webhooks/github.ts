// GitHub's `pull_request` deliveries for one org: POST /api/webhooks/github/<orgId>,
// signed with the webhook secret (GITHUB_WEBHOOK_SECRET). Verified before anything
// is read; a PR Parallax opened is updated exactly as a poll would, and its session's
// workflow is told at once. The web route only adapts HTTP to this function.
import type { Database } from '@parallax/db';
import { applyPullRequestEvent, MalformedWebhookError, parsePullRequestEvent, verifyGitHubSignature } from '@parallax/fleet/forge';
import { findInputFault } from '../storable-input.ts';
import type { FleetEngine } from '../trpc.ts';

export interface WebhookResponse {
  status: number;
  body: Record<string, unknown>;
}

export async function receiveGitHubWebhook(o: {
  db: Database;
  fleet: Pick<FleetEngine, 'pullRequestChanged'>;
  orgId: string;
  /** The shared secret; absent means webhooks are not set up on this server. */
  secret: string | undefined;
  event: string | null;
  signature: string | null;
  rawBody: Buffer;
}): Promise<WebhookResponse> {
  if (!o.secret) return { status: 503, body: { error: 'GitHub webhooks are not configured on this server (set GITHUB_WEBHOOK_SECRET).' } };
  if (!verifyGitHubSignature({ secret: o.secret, rawBody: o.rawBody, signatureHeader: o.signature })) {
    return { status: 401, body: { error: 'The X-Hub-Signature-256 header is missing or does not match the body.' } };
  }
  if (o.event === 'ping') return { status: 200, body: { ok: true } };
  if (o.event !== 'pull_request') return { status: 202, body: { ignored: `event ${o.event ?? '(none)'} is not tracked` } };
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(o.orgId)) return { status: 404, body: { error: 'No such organization.' } };

  let event: ReturnType<typeof parsePullRequestEvent>;
  try {
    event = parsePullRequestEvent(o.rawBody);
  } catch (error) {
    if (error instanceof MalformedWebhookError) return { status: 400, body: { error: error.message } };
    throw error;
  }
  // Its strings are looked up in the database: one PostgreSQL refuses is the sender's mistake, not a 500.
  const fault = findInputFault(event);
  if (fault) return { status: 400, body: { error: fault.message } };
  const result = await applyPullRequestEvent({ db: o.db, orgId: o.orgId, event });
  if (result.outcome === 'untracked') return { status: 202, body: { ignored: 'not a pull request Parallax opened for this organization' } };
  if (result.outcome === 'updated') {
    const session = await o.db.forOrg(o.orgId, (tx) =>
      tx.pullRequest.findUnique({ where: { id: result.pullRequest.pullRequestId }, select: { session: { select: { workflowId: true } } } }),
    );
    // Recorded already; the signal only spares the workflow its wait for the next poll.
    if (session) await o.fleet.pullRequestChanged(session.session.workflowId).catch(() => false);
  }
  return { status: 200, body: { outcome: result.outcome, state: result.pullRequest.state } };
}
