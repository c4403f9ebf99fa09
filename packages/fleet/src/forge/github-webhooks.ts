// GitHub `pull_request` webhooks: verify, read, apply. The route that receives them
// (apps/web) answers within GitHub's 10 s and maps the installation to an org; these
// functions are the part that knows GitHub.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Database } from '@parallax/db';
import { z } from 'zod';
import { MalformedWebhookError } from './errors.ts';
import { type TrackedPullRequest, toTrackedPullRequest } from './forge.ts';
import { gitHubFullName, observeGitHubPullRequest, readGitHubPullRequest, ZGitHubPullRequest } from './github-pull-request.ts';
import { applyObservedState } from './tracking.ts';

/** True only for `sha256=<hex HMAC-SHA256 of the raw body>` made with `secret`; compared in constant time. */
export function verifyGitHubSignature(o: {
  secret: string;
  rawBody: Buffer | string;
  signatureHeader: string | null | undefined;
}): boolean {
  if (!o.secret || typeof o.signatureHeader !== 'string') return false;
  const match = /^sha256=([0-9a-fA-F]{64})$/.exec(o.signatureHeader.trim());
  if (!match?.[1]) return false;
  const expected = createHmac('sha256', o.secret).update(o.rawBody).digest();
  return timingSafeEqual(Buffer.from(match[1], 'hex'), expected);
}

const ZPullRequestEvent = z.object({
  action: z.string(),
  number: z.number().int().positive(),
  pull_request: ZGitHubPullRequest,
  repository: z.object({ full_name: z.string() }),
  sender: z.object({ login: z.string() }).nullish(),
});

export interface PullRequestEvent {
  action: string;
  number: number;
  /** "owner/repo" as GitHub spells it. */
  repositoryFullName: string;
  headRef: string;
  headSha: string;
  baseRef: string;
  state: 'open' | 'closed';
  merged: boolean;
  mergedAt: Date | null;
  mergedBy: string | null;
  mergeSha: string | null;
  closedAt: Date | null;
  /** Who triggered the event (for `closed` without a merge: who closed it). */
  sender: string | null;
}

/** Reads a `pull_request` webhook body (parsed JSON or the raw text); throws MalformedWebhookError. */
export function parsePullRequestEvent(json: unknown): PullRequestEvent {
  let body = json;
  if (typeof json === 'string' || Buffer.isBuffer(json)) {
    try {
      body = JSON.parse(json.toString());
    } catch {
      throw new MalformedWebhookError(['body is not JSON']);
    }
  }
  const parsed = ZPullRequestEvent.safeParse(body);
  if (!parsed.success) throw new MalformedWebhookError(parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  const { action, number, pull_request, repository, sender } = parsed.data;
  const { headRef, headSha, baseRef, state, merged, mergedAt, mergedBy, mergeSha, closedAt } = readGitHubPullRequest(pull_request);
  return {
    action,
    number,
    repositoryFullName: repository.full_name,
    headRef,
    headSha,
    baseRef,
    state,
    merged,
    mergedAt,
    mergedBy,
    mergeSha,
    closedAt,
    sender: sender?.login ?? null,
  };
}

export type ApplyPullRequestEventResult = { outcome: 'untracked' } | { outcome: 'unchanged' | 'updated'; pullRequest: TrackedPullRequest };

/**
 * Updates the tracked PR (by repository and number) exactly as syncPullRequest would.
 * A PR Parallax did not open is `untracked`; a redelivery is `unchanged` and writes nothing.
 */
export async function applyPullRequestEvent(o: {
  db: Database;
  orgId: string;
  event: PullRequestEvent;
}): Promise<ApplyPullRequestEventResult> {
  const { event } = o;
  return o.db.forOrg(o.orgId, async (tx) => {
    const repositories = await tx.repository.findMany({
      where: { forge: 'GITHUB', url: { contains: event.repositoryFullName, mode: 'insensitive' } },
      select: { id: true, url: true },
    });
    const fullName = event.repositoryFullName.toLowerCase();
    const repository = repositories.find((r) => r.url && gitHubFullName(r.url) === fullName);
    if (!repository) return { outcome: 'untracked' };
    const pr = await tx.pullRequest.findUnique({ where: { repositoryId_number: { repositoryId: repository.id, number: event.number } } });
    if (!pr) return { outcome: 'untracked' };
    const closedBy = event.action === 'closed' && !event.merged ? event.sender : null;
    const { pullRequest, changed } = await applyObservedState(tx, pr, observeGitHubPullRequest(event, closedBy));
    return { outcome: changed ? 'updated' : 'unchanged', pullRequest: toTrackedPullRequest(pullRequest) };
  });
}
