import { type DatabaseFixture, useTestDatabase } from '@parallax/db/test-database';
import { createOrgWithRepository, createSession, pullRequestPayload, signGitHubBody } from '@parallax/fleet/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { receiveGitHubWebhook } from './github.ts';

const SECRET = 'webhook-secret-for-tests';
let fx: DatabaseFixture;
const told: string[] = [];
const fleet = {
  async pullRequestChanged(workflowId: string) {
    told.push(workflowId);
    return true;
  },
};

beforeAll(async () => {
  fx = await useTestDatabase();
});

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
  const workflowId = await fx.db.forOrg(orgId, (tx) =>
    tx.agentSession.findUniqueOrThrow({ where: { id: s.sessionId }, select: { workflowId: true } }),
  );
  return { orgId, pr, workflowId: workflowId.workflowId, headRef: pr.headBranch };
}

const deliver = (orgId: string, body: string, o: { signature?: string | null; event?: string; secret?: string | undefined } = {}) =>
  receiveGitHubWebhook({
    db: fx.db,
    fleet,
    orgId,
    secret: 'secret' in o ? o.secret : SECRET,
    event: o.event ?? 'pull_request',
    signature: o.signature === undefined ? signGitHubBody(SECRET, body) : o.signature,
    rawBody: Buffer.from(body),
  });

describe('GitHub pull_request webhooks', () => {
  it('records a merge from a validly signed delivery, once, and tells the session workflow', async () => {
    const t = await trackedPullRequest(7);
    const at = new Date(Math.floor(Date.now() / 1000) * 1000).toISOString();
    const body = JSON.stringify(
      pullRequestPayload({ owner: 'acme', repo: 'widgets', number: 7, headRef: t.headRef, mergedBy: 'octocat', at }),
    );

    expect(await deliver(t.orgId, body)).toEqual({ status: 200, body: { outcome: 'updated', state: 'MERGED' } });
    expect(told).toContain(t.workflowId);
    const row = await fx.db.forOrg(t.orgId, (tx) => tx.pullRequest.findUniqueOrThrow({ where: { id: t.pr.id } }));
    expect(row).toMatchObject({ state: 'MERGED', mergedBy: 'octocat', mergedAt: new Date(at) });

    // GitHub redelivers: nothing changes.
    expect(await deliver(t.orgId, body)).toEqual({ status: 200, body: { outcome: 'unchanged', state: 'MERGED' } });
  });

  it('refuses a delivery whose signature does not match, and changes nothing', async () => {
    const t = await trackedPullRequest(8);
    const body = JSON.stringify(pullRequestPayload({ owner: 'acme', repo: 'widgets', number: 8, headRef: t.headRef }));
    const forged = signGitHubBody('not-the-secret', body);
    expect((await deliver(t.orgId, body, { signature: forged })).status).toBe(401);
    expect((await deliver(t.orgId, body, { signature: null })).status).toBe(401);
    // Signed for another body.
    expect((await deliver(t.orgId, body.replace('"number":8', '"number":9'), { signature: signGitHubBody(SECRET, body) })).status).toBe(
      401,
    );
    const row = await fx.db.forOrg(t.orgId, (tx) => tx.pullRequest.findUniqueOrThrow({ where: { id: t.pr.id } }));
    expect(row.state).toBe('OPEN');
  });

  it("never touches another org's PR, even when the delivery names its repository", async () => {
    const theirs = await trackedPullRequest(9);
    const mine = await createOrgWithRepository(fx.db, { forge: 'GITHUB', url: 'https://github.com/acme/other.git' });
    const body = JSON.stringify(pullRequestPayload({ owner: 'acme', repo: 'widgets', number: 9, headRef: theirs.headRef }));
    expect(await deliver(mine.orgId, body)).toMatchObject({ status: 202 });
    const row = await fx.db.forOrg(theirs.orgId, (tx) => tx.pullRequest.findUniqueOrThrow({ where: { id: theirs.pr.id } }));
    expect(row.state).toBe('OPEN');
  });

  it('answers pings, ignores other events, and says what is wrong with a malformed body or a missing secret', async () => {
    const t = await trackedPullRequest(10);
    expect(await deliver(t.orgId, '{"zen":"Keep it simple."}', { event: 'ping' })).toEqual({ status: 200, body: { ok: true } });
    expect((await deliver(t.orgId, '{}', { event: 'issues' })).status).toBe(202);
    const malformed = await deliver(t.orgId, '{"action":"closed"}');
    expect(malformed.status).toBe(400);
    expect(String(malformed.body.error)).toMatch(/number|pull_request/);
    expect((await deliver(t.orgId, 'not json')).status).toBe(400);
    expect((await deliver(t.orgId, '{}', { secret: undefined })).status).toBe(503);
  });
});
