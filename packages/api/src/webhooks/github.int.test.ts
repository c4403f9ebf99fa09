// GitHub webhooks per org, against the real database: each org's deliveries verify only
// against its own secret (and the previous one during a rotation's overlap), bodies are
// limited before they are read, and every delivery lands in that org's log.
import { randomBytes } from 'node:crypto';
import { type DatabaseFixture, useTestDatabase } from '@parallax/db/test-database';
import { createOrgWithRepository, createSession, pullRequestPayload, queryOnce, signGitHubBody } from '@parallax/fleet/testing';
import { generateWebhookSecret, keyringFromEnv } from '@parallax/secrets';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { GITHUB_WEBHOOK_BODY_LIMIT, receiveGitHubWebhook } from './github.ts';
import { listDeliveries, REFUSALS_LOGGED_PER_MINUTE } from './record-delivery.ts';

let fx: DatabaseFixture;
const keyring = keyringFromEnv({ PARALLAX_SECRETS_KEY: randomBytes(32).toString('base64') });
const told: string[] = [];
const fleet = {
  async pullRequestChanged(workflowId: string) {
    told.push(workflowId);
    return true;
  },
};
const HOUR = 3_600_000;

beforeAll(async () => {
  fx = await useTestDatabase();
});
afterEach(() => {
  vi.restoreAllMocks();
});

async function newSecret(orgId: string, o: { overlapHours?: number; now?: Date } = {}) {
  const made = await fx.db.forOrg(orgId, (tx) =>
    generateWebhookSecret(tx, { orgId, actorUserId: 'admin', kind: 'GITHUB_WEBHOOK', keyring, ...o }),
  );
  return made.secret;
}

async function trackedPullRequest(number: number) {
  const { orgId, repositoryId } = await createOrgWithRepository(fx.db, { forge: 'GITHUB', url: 'https://github.com/acme/widgets.git' });
  const s = await createSession(fx.db, { orgId, repositoryId });
  const pr = await fx.db.forOrg(orgId, (tx) =>
    tx.pullRequest.create({
      data: {
        orgId,
        sessionId: s.sessionId,
        repositoryId,
        forge: 'GITHUB',
        number,
        url: `https://github.com/acme/widgets/pull/${number}`,
        title: 'Greet in French',
        body: 'Agent PR',
        headBranch: `parallax/${s.sessionId}`,
        baseBranch: 'main',
        openedAt: new Date(Date.now() - 60_000),
      },
    }),
  );
  const { workflowId } = await fx.db.forOrg(orgId, (tx) =>
    tx.agentSession.findUniqueOrThrow({ where: { id: s.sessionId }, select: { workflowId: true } }),
  );
  const secret = await newSecret(orgId);
  const payload = (extra: Record<string, unknown> = {}) =>
    JSON.stringify(pullRequestPayload({ owner: 'acme', repo: 'widgets', number, headRef: pr.headBranch, ...extra }));
  return { orgId, pr, workflowId, secret, payload };
}

interface DeliverOptions {
  secret?: string;
  signature?: string | null;
  event?: string;
  now?: Date;
  headers?: Record<string, string>;
  body?: ReadableStream<Uint8Array>;
}
function deliver(orgId: string, body: string, o: DeliverOptions = {}) {
  const signature = o.signature !== undefined ? o.signature : o.secret ? signGitHubBody(o.secret, body) : null;
  const headers: Record<string, string> = { 'x-github-event': o.event ?? 'pull_request', 'x-github-delivery': 'd-1', ...o.headers };
  if (signature) headers['x-hub-signature-256'] = signature;
  const request = new Request(`http://parallax.test/api/webhooks/github/${orgId}`, {
    method: 'POST',
    headers,
    body: o.body ?? body,
    ...(o.body instanceof ReadableStream ? { duplex: 'half' } : {}),
  } as RequestInit);
  return receiveGitHubWebhook({ db: fx.db, fleet, orgId, request, sourceAddress: '203.0.113.9', keyring: () => keyring, now: o.now });
}

const deliveries = (orgId: string) => listDeliveries(fx.db, { orgId, provider: 'GITHUB', limit: 50 });
const refused = { status: 401, body: { error: 'The X-Hub-Signature-256 header is missing or does not match the body.' } };

describe('GitHub webhooks, per org', () => {
  it('records a merge signed with the org’s own secret, once, tells the workflow, and logs the delivery', async () => {
    const t = await trackedPullRequest(7);
    const at = new Date(Math.floor(Date.now() / 1000) * 1000).toISOString();
    const body = t.payload({ mergedBy: 'octocat', at });
    expect(await deliver(t.orgId, body, { secret: t.secret })).toEqual({ status: 200, body: { outcome: 'updated', state: 'MERGED' } });
    expect(told).toContain(t.workflowId);
    const row = await fx.db.forOrg(t.orgId, (tx) => tx.pullRequest.findUniqueOrThrow({ where: { id: t.pr.id } }));
    expect(row).toMatchObject({ state: 'MERGED', mergedBy: 'octocat', mergedAt: new Date(at) });
    // GitHub redelivers: nothing changes.
    expect(await deliver(t.orgId, body, { secret: t.secret })).toEqual({ status: 200, body: { outcome: 'unchanged', state: 'MERGED' } });
    expect(await deliveries(t.orgId)).toEqual([
      expect.objectContaining({
        accepted: true,
        event: 'pull_request',
        deliveryId: 'd-1',
        sourceAddress: '203.0.113.9',
        reason: 'pull request #7 unchanged (merged)',
      }),
      expect.objectContaining({ accepted: true, reason: 'pull request #7 updated (merged)' }),
    ]);
  });

  it('refuses a delivery for org A signed with org B’s secret, logs it in A’s log, and changes nothing', async () => {
    const a = await trackedPullRequest(8);
    const b = await trackedPullRequest(8);
    const body = a.payload();
    expect(await deliver(a.orgId, body, { secret: b.secret })).toEqual(refused);
    expect(await deliver(a.orgId, body, { signature: null })).toEqual(refused);
    expect(await deliver(a.orgId, body, { signature: 'sha256=zz' })).toEqual(refused);
    // Signed for another body.
    expect(await deliver(a.orgId, body.replace('"number":8', '"number":9'), { signature: signGitHubBody(a.secret, body) })).toEqual(
      refused,
    );
    const row = await fx.db.forOrg(a.orgId, (tx) => tx.pullRequest.findUniqueOrThrow({ where: { id: a.pr.id } }));
    expect(row.state).toBe('OPEN');
    const log = await deliveries(a.orgId);
    expect(log.map((d) => [d.accepted, d.reason])).toEqual([
      [false, 'the signature does not match this organization’s webhook secret'],
      [false, 'the signature does not match this organization’s webhook secret'],
      [false, 'no X-Hub-Signature-256 header'],
      [false, 'the signature does not match this organization’s webhook secret'],
    ]);
    expect(log[0]).toMatchObject({ sourceAddress: '203.0.113.9', event: 'pull_request' });
    expect(await deliveries(b.orgId)).toEqual([]);
  });

  it('accepts the previous secret during a rotation’s overlap and refuses it after', async () => {
    const t = await trackedPullRequest(11);
    const t0 = new Date();
    const rotated = await newSecret(t.orgId, { overlapHours: 1, now: t0 });
    const body = t.payload({ action: 'opened' });
    const at = (ms: number) => new Date(t0.getTime() + ms);
    expect((await deliver(t.orgId, body, { secret: t.secret, now: at(30 * 60_000) })).status).toBe(200);
    expect((await deliver(t.orgId, body, { secret: rotated, now: at(30 * 60_000) })).status).toBe(200);
    expect(await deliver(t.orgId, body, { secret: t.secret, now: at(HOUR + 1) })).toEqual(refused);
    expect((await deliver(t.orgId, body, { secret: rotated, now: at(HOUR + 1) })).status).toBe(200);
  });

  it('no longer accepts the server-wide GITHUB_WEBHOOK_SECRET', async () => {
    const t = await trackedPullRequest(12);
    vi.stubEnv('GITHUB_WEBHOOK_SECRET', 'the-old-global-secret');
    expect(await deliver(t.orgId, t.payload(), { secret: 'the-old-global-secret' })).toEqual(refused);
    vi.unstubAllEnvs();
  });

  it('answers an unknown org exactly as a bad signature, writes no row, and tells the server log', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const t = await trackedPullRequest(13);
    const before = await queryOnce<{ n: string }>(fx.ownerUrl, 'SELECT count(*) AS n FROM "WebhookDelivery"');
    for (const orgId of ['org-that-does-not-exist', 'bad\u0000id', 'x'.repeat(65)])
      expect(await deliver(orgId, t.payload(), { secret: t.secret })).toEqual(refused);
    const after = await queryOnce<{ n: string }>(fx.ownerUrl, 'SELECT count(*) AS n FROM "WebhookDelivery"');
    expect(after[0]?.n).toBe(before[0]?.n);
    expect(warn).toHaveBeenCalledTimes(3);
    expect(String(warn.mock.calls[0]?.[0])).toMatch(/unknown org "org-that-does-not-exist" from 203\.0\.113\.9: no such organization/);
  });

  it('answers an org without a secret as a bad signature, and tells its admins why', async () => {
    const { orgId } = await createOrgWithRepository(fx.db, { forge: 'GITHUB', url: 'https://github.com/acme/none.git' });
    expect(await deliver(orgId, '{}', { secret: 'anything' })).toEqual(refused);
    expect((await deliveries(orgId))[0]).toMatchObject({
      accepted: false,
      reason: 'no GitHub webhook secret is set for this organization',
    });
  });

  it('refuses a declared Content-Length over the limit without reading the body', async () => {
    const t = await trackedPullRequest(14);
    let pulls = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulls += 1;
        controller.enqueue(new Uint8Array(64 * 1024));
      },
    });
    const response = await deliver(t.orgId, '', {
      secret: t.secret,
      body,
      headers: { 'content-length': String(GITHUB_WEBHOOK_BODY_LIMIT + 1) },
    });
    expect(response).toEqual({ status: 413, body: { error: 'The delivery is larger than this server accepts.' } });
    // The stream's first pull happens when it is created; nothing past that was asked for.
    expect(pulls).toBeLessThanOrEqual(1);
    expect((await deliveries(t.orgId))[0]).toMatchObject({
      accepted: false,
      reason: `body of ${GITHUB_WEBHOOK_BODY_LIMIT + 1} bytes is over the 1048576-byte limit`,
    });
    expect((await deliver(t.orgId, '{}', { secret: t.secret, headers: { 'content-length': '12abc' } })).status).toBe(400);
  });

  it('stops reading a body without a length as soon as it passes the limit', async () => {
    const t = await trackedPullRequest(15);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += 64 * 1024;
        controller.enqueue(new Uint8Array(64 * 1024).fill(32));
      },
    });
    expect((await deliver(t.orgId, '', { secret: t.secret, body })).status).toBe(413);
    expect(sent).toBeLessThan(GITHUB_WEBHOOK_BODY_LIMIT + 4 * 64 * 1024);
    expect((await deliveries(t.orgId))[0]).toMatchObject({ accepted: false, reason: 'body passed the 1048576-byte limit' });
  });

  it('answers pings, ignores other events, says what is wrong with a malformed body, and logs each', async () => {
    const t = await trackedPullRequest(10);
    const ping = '{"zen":"Keep it simple."}';
    expect(await deliver(t.orgId, ping, { secret: t.secret, event: 'ping' })).toEqual({ status: 200, body: { ok: true } });
    expect((await deliver(t.orgId, '{}', { secret: t.secret, event: 'issues' })).status).toBe(202);
    const malformed = await deliver(t.orgId, '{"action":"closed"}', { secret: t.secret });
    expect(malformed.status).toBe(400);
    expect(String(malformed.body.error)).toMatch(/number|pull_request/);
    expect((await deliver(t.orgId, 'not json', { secret: t.secret })).status).toBe(400);
    const log = await deliveries(t.orgId);
    expect(log.map((d) => d.accepted)).toEqual([false, false, true, true]);
    expect(log[0]?.reason).toMatch(/^malformed: .*not JSON/);
    expect(log[2]).toMatchObject({ event: 'issues', reason: 'event issues is not tracked' });
    expect(log[3]).toMatchObject({ event: 'ping', reason: 'ping' });
  });

  it('keeps header values the sender controls printable and short in the log', async () => {
    const t = await trackedPullRequest(16);
    await deliver(t.orgId, '{}', {
      secret: t.secret,
      event: `issues\u0007${'x'.repeat(300)}`,
      headers: { 'x-github-delivery': 'id\u00e9' },
    });
    const [row] = await deliveries(t.orgId);
    expect(row?.event).toMatch(/^issues\?x+$/);
    expect(row?.event?.length).toBe(100);
  });

  it('stops logging refusals past the flood limit, and still logs accepted deliveries', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const t = await trackedPullRequest(18);
    const body = '{"zen":"Flood."}';
    await fx.db.forOrg(t.orgId, (tx) =>
      tx.webhookDelivery.createMany({
        data: Array.from({ length: REFUSALS_LOGGED_PER_MINUTE }, () => ({
          orgId: t.orgId,
          provider: 'GITHUB' as const,
          accepted: false,
          reason: 'earlier',
        })),
      }),
    );
    expect(await deliver(t.orgId, body, { secret: 'forged', event: 'ping' })).toEqual(refused);
    expect(await fx.db.forOrg(t.orgId, (tx) => tx.webhookDelivery.count())).toBe(REFUSALS_LOGGED_PER_MINUTE);
    expect(String(warn.mock.calls.at(-1)?.[0])).toMatch(/past the log's flood limit/);
    expect((await deliver(t.orgId, body, { secret: t.secret, event: 'ping' })).status).toBe(200);
    expect((await deliveries(t.orgId))[0]).toMatchObject({ accepted: true, reason: 'ping' });
  });

  it('refuses with 503 and logs it when the server cannot open secrets', async () => {
    const t = await trackedPullRequest(17);
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const request = new Request('http://parallax.test/', { method: 'POST', headers: { 'x-github-event': 'ping' }, body: '{}' });
    const response = await receiveGitHubWebhook({
      db: fx.db,
      fleet,
      orgId: t.orgId,
      request,
      sourceAddress: null,
      keyring: () => keyringFromEnv({}),
    });
    expect(response.status).toBe(503);
    expect(error).toHaveBeenCalledWith(expect.stringMatching(/PARALLAX_SECRETS_KEY/));
    expect((await deliveries(t.orgId))[0]).toMatchObject({ accepted: false, reason: expect.stringMatching(/PARALLAX_SECRETS_KEY/) });
  });
});
