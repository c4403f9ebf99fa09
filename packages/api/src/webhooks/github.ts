// GitHub's `pull_request` deliveries for one org: POST /api/webhooks/github/<orgId>,
// signed with THAT org's webhook secret (generated in Settings → Integrations; during a
// rotation's overlap the previous one verifies too). The body is read only up to the
// limit, verified before it is parsed, and every delivery, accepted or refused, is
// logged for the org's admins. The web route only adapts HTTP to this function.
//
// There is no server-wide GITHUB_WEBHOOK_SECRET fallback any more: one secret shared by
// every org lets any org's admin sign deliveries for another org's URL.
import type { Database } from '@parallax/db';
import { applyPullRequestEvent, MalformedWebhookError, parsePullRequestEvent, verifyGitHubSignature } from '@parallax/fleet/forge';
import { defaultKeyring, type Keyring, openWebhookSecrets, SecretsKeyError } from '@parallax/secrets';
import { findInputFault } from '../storable-input.ts';
import type { FleetEngine } from '../trpc.ts';
import { readCappedBody } from './read-body.ts';
import { loggable, recordDelivery } from './record-delivery.ts';

export interface WebhookResponse {
  status: number;
  body: Record<string, unknown>;
}

/**
 * GitHub allows payloads up to 25 MB, but a `pull_request` event is the PR, its repository
 * and sender: tens of KB, and even a PR body at GitHub's 65,536-character cap, every
 * character escaped as \uXXXX, is under 400 KB. 1 MiB leaves room for that and makes a
 * flood of oversized posts cost us a megabyte each, not 25.
 */
export const GITHUB_WEBHOOK_BODY_LIMIT = 1024 * 1024;

// The same answer for an unknown org, an org without a secret and a bad signature, so
// the URL does not tell anyone which org ids exist or have webhooks set up.
const REFUSED: WebhookResponse = {
  status: 401,
  body: { error: 'The X-Hub-Signature-256 header is missing or does not match the body.' },
};

export async function receiveGitHubWebhook(o: {
  db: Database;
  fleet: Pick<FleetEngine, 'pullRequestChanged'>;
  orgId: string;
  request: Request;
  /** The sender's address as the web edge sees it (for the delivery log). */
  sourceAddress: string | null;
  keyring?: () => Keyring;
  limitBytes?: number;
  now?: Date;
}): Promise<WebhookResponse> {
  const headers = o.request.headers;
  const event = loggable(headers.get('x-github-event'));
  const facts = {
    provider: 'GITHUB' as const,
    deliveryId: loggable(headers.get('x-github-delivery')),
    event,
    sourceAddress: loggable(o.sourceAddress),
  };
  const orgExists = /^[A-Za-z0-9_-]{1,64}$/.test(o.orgId) && (await findOrg(o.db, o.orgId));
  async function answer(response: WebhookResponse, accepted: boolean, reason: string): Promise<WebhookResponse> {
    const from = facts.sourceAddress ?? 'an unknown address';
    if (!orgExists)
      console.warn(`webhooks: refused a GitHub delivery for unknown org ${JSON.stringify(o.orgId.slice(0, 64))} from ${from}: ${reason}`);
    else if (!(await recordDelivery(o.db, { orgId: o.orgId, accepted, reason, ...facts })))
      console.warn(`webhooks: refused a GitHub delivery for org ${o.orgId} from ${from} (past the log's flood limit): ${reason}`);
    return response;
  }

  const read = await readCappedBody(o.request, o.limitBytes ?? GITHUB_WEBHOOK_BODY_LIMIT);
  if (!read.ok) {
    const error = read.status === 413 ? 'The delivery is larger than this server accepts.' : read.reason;
    return answer({ status: read.status, body: { error } }, false, read.reason);
  }
  if (!orgExists) return answer(REFUSED, false, 'no such organization');

  let secrets: string[];
  try {
    secrets = await o.db.forOrg(o.orgId, (tx) =>
      openWebhookSecrets(tx, { orgId: o.orgId, kind: 'GITHUB_WEBHOOK', keyring: (o.keyring ?? defaultKeyring)(), now: o.now }),
    );
  } catch (error) {
    if (!(error instanceof SecretsKeyError)) throw error;
    console.error(`webhooks: cannot open org webhook secrets: ${error.message}`);
    return answer(
      { status: 503, body: { error: 'Webhooks are not available on this server right now.' } },
      false,
      'the server cannot open webhook secrets (PARALLAX_SECRETS_KEY)',
    );
  }
  if (secrets.length === 0) return answer(REFUSED, false, 'no GitHub webhook secret is set for this organization');
  const signatureHeader = headers.get('x-hub-signature-256');
  if (!signatureHeader) return answer(REFUSED, false, 'no X-Hub-Signature-256 header');
  if (!secrets.some((secret) => verifyGitHubSignature({ secret, rawBody: read.body, signatureHeader })))
    return answer(REFUSED, false, 'the signature does not match this organization’s webhook secret');

  if (event === 'ping') return answer({ status: 200, body: { ok: true } }, true, 'ping');
  if (event !== 'pull_request')
    return answer(
      { status: 202, body: { ignored: `event ${event ?? '(none)'} is not tracked` } },
      true,
      `event ${event ?? '(none)'} is not tracked`,
    );

  let parsed: ReturnType<typeof parsePullRequestEvent>;
  try {
    parsed = parsePullRequestEvent(read.body);
  } catch (error) {
    if (error instanceof MalformedWebhookError)
      return answer({ status: 400, body: { error: error.message } }, false, `malformed: ${error.message}`);
    throw error;
  }
  // Its strings are looked up in the database: one PostgreSQL refuses is the sender's mistake, not a 500.
  const fault = findInputFault(parsed);
  if (fault) return answer({ status: 400, body: { error: fault.message } }, false, 'malformed: text the database cannot store');
  const result = await applyPullRequestEvent({ db: o.db, orgId: o.orgId, event: parsed });
  if (result.outcome === 'untracked')
    return answer(
      { status: 202, body: { ignored: 'not a pull request Parallax opened for this organization' } },
      true,
      'not a pull request Parallax opened',
    );
  if (result.outcome === 'updated') {
    const session = await o.db.forOrg(o.orgId, (tx) =>
      tx.pullRequest.findUnique({ where: { id: result.pullRequest.pullRequestId }, select: { session: { select: { workflowId: true } } } }),
    );
    // Recorded already; the signal only spares the workflow its wait for the next poll.
    if (session) await o.fleet.pullRequestChanged(session.session.workflowId).catch(() => false);
  }
  return answer(
    { status: 200, body: { outcome: result.outcome, state: result.pullRequest.state } },
    true,
    `pull request #${parsed.number} ${result.outcome} (${result.pullRequest.state.toLowerCase()})`,
  );
}

async function findOrg(db: Database, orgId: string): Promise<boolean> {
  return Boolean(await db.forOrg(orgId, (tx) => tx.organization.findUnique({ where: { id: orgId }, select: { id: true } })));
}
