import { type DatabaseFixture, useTestDatabase } from '@parallax/db/test-database';
import { beforeAll, describe, expect, it } from 'vitest';
import { createOrgWithRepository, createSession, listSessionEvents } from '../../test/fixtures/forge/database-rows.ts';
import { pullRequestPayload } from '../../test/fixtures/forge/webhook-payloads.ts';
import { applyPullRequestEvent, parsePullRequestEvent } from './github-webhooks.ts';
import { recordOpenedPullRequest } from './tracking.ts';

let fx: DatabaseFixture;
beforeAll(async () => {
  fx = await useTestDatabase();
});

/** A session whose PR #17 on acme/<repo> Parallax opened and tracks. */
async function trackedPullRequest(repo: string) {
  const { orgId, repositoryId } = await createOrgWithRepository(fx.db, {
    forge: 'GITHUB',
    url: `https://github.com/Acme/${repo}.git`,
    name: repo,
  });
  const session = await createSession(fx.db, { orgId, repositoryId });
  await fx.db.forOrg(orgId, (tx) =>
    recordOpenedPullRequest(tx, {
      ...session,
      forge: 'GITHUB',
      number: 17,
      url: `https://github.com/acme/${repo}/pull/17`,
      title: 't',
      body: 'b',
      headBranch: 'parallax/s1',
      baseBranch: 'main',
      headSha: 'a'.repeat(40),
      stats: { filesChanged: 1, linesAdded: 1, linesDeleted: 0 },
      openedAt: new Date('2026-11-24T09:00:00Z'),
    }),
  );
  return { orgId, session };
}

describe('applyPullRequestEvent', () => {
  it('marks the tracked PR merged with who and when, once: a redelivery is a no-op', async () => {
    const { orgId, session } = await trackedPullRequest('api');
    const event = parsePullRequestEvent(
      pullRequestPayload({ owner: 'acme', repo: 'api', number: 17, headRef: 'parallax/s1', mergedBy: 'octocat' }),
    );

    const first = await applyPullRequestEvent({ db: fx.db, orgId, event });
    expect(first).toMatchObject({
      outcome: 'updated',
      pullRequest: { state: 'MERGED', mergedBy: 'octocat', mergedAt: new Date('2026-11-24T10:15:30Z'), mergeSha: event.mergeSha },
    });
    expect(await applyPullRequestEvent({ db: fx.db, orgId, event })).toEqual({ ...first, outcome: 'unchanged' });

    const events = await listSessionEvents(fx.db, orgId, session.sessionId);
    expect(events.map((e) => [e.type, e.data])).toEqual([
      ['PR_OPENED', expect.anything()],
      ['PR_MERGED', { number: 17, mergedBy: 'octocat', mergeSha: event.mergeSha }],
    ]);
  });

  it('records a close without merge as CLOSED by the sender, and ignores a stale reopen after a merge', async () => {
    const { orgId, session } = await trackedPullRequest('web');
    const closed = parsePullRequestEvent(
      pullRequestPayload({ owner: 'acme', repo: 'web', number: 17, headRef: 'parallax/s1', merged: false, sender: 'ada' }),
    );
    expect(await applyPullRequestEvent({ db: fx.db, orgId, event: closed })).toMatchObject({
      outcome: 'updated',
      pullRequest: { state: 'CLOSED' },
    });
    const reopened = parsePullRequestEvent(
      pullRequestPayload({ owner: 'acme', repo: 'web', number: 17, headRef: 'parallax/s1', action: 'reopened' }),
    );
    expect(await applyPullRequestEvent({ db: fx.db, orgId, event: reopened })).toMatchObject({
      outcome: 'updated',
      pullRequest: { state: 'OPEN', closedAt: null },
    });
    const merged = parsePullRequestEvent(
      pullRequestPayload({
        owner: 'acme',
        repo: 'web',
        number: 17,
        headRef: 'parallax/s1',
        at: '2026-11-24T11:00:00Z',
        mergedBy: 'octocat',
      }),
    );
    await applyPullRequestEvent({ db: fx.db, orgId, event: merged });
    expect(await applyPullRequestEvent({ db: fx.db, orgId, event: reopened })).toMatchObject({
      outcome: 'unchanged',
      pullRequest: { state: 'MERGED' },
    });

    const events = await listSessionEvents(fx.db, orgId, session.sessionId);
    expect(events.map((e) => [e.type, e.data])).toEqual([
      ['PR_OPENED', expect.anything()],
      ['PR_CLOSED', { number: 17, closedBy: 'ada' }],
      ['PR_MERGED', expect.objectContaining({ mergedBy: 'octocat' })],
    ]);
  });

  it('leaves PRs Parallax does not track alone: another number, another repository, another org', async () => {
    const { orgId } = await trackedPullRequest('cli');
    const other = await createOrgWithRepository(fx.db, { forge: 'GITHUB', url: 'https://github.com/acme/elsewhere' });
    const event = (repo: string, number: number) =>
      parsePullRequestEvent(pullRequestPayload({ owner: 'acme', repo, number, headRef: 'x' }));
    expect(await applyPullRequestEvent({ db: fx.db, orgId, event: event('cli', 99) })).toEqual({ outcome: 'untracked' });
    expect(await applyPullRequestEvent({ db: fx.db, orgId, event: event('unknown', 17) })).toEqual({ outcome: 'untracked' });
    expect(await applyPullRequestEvent({ db: fx.db, orgId: other.orgId, event: event('cli', 17) })).toEqual({ outcome: 'untracked' });
  });
});
