// Retrying an ended session through `session.dispatch { retryOfSessionId }`: the link, the
// intervention it counts as (METRICS.md "Intervention": a restart, a cancel-and-retry), what
// the evidence then says of the retry, and who may retry what.
import { describe, it, expect, beforeAll } from 'vitest';
import { signUp } from '@parallax/auth';
import { useTestDatabase, type DatabaseFixture } from '@parallax/db/test-database';
import { refreshSessionEvidence } from '@parallax/evidence';
import { endSession, markStarted } from '@parallax/fleet';
import { createFleetEngine } from '@parallax/temporal/client';
import { useTestTemporal } from '@parallax/temporal/testing';
import { callerFor as baseCallerFor, createOrgFixture, type OrgFixture, uniqueEmail } from './testing/fixtures.ts';
import type { FleetEngine } from './trpc.ts';

let fx: DatabaseFixture;
let fleet: FleetEngine;
let org: OrgFixture;
let other: OrgFixture;
const callerFor = (userId: string) => baseCallerFor(fx.db, userId, { fleet });

beforeAll(async () => {
  fx = await useTestDatabase();
  // The real fleet engine on the Temporal dev server, no worker: a started session waits,
  // and the test plays its life with the fleet's own lifecycle functions.
  fleet = createFleetEngine((await useTestTemporal()).env.client);
  org = await createOrgFixture(fx.db, 'retry', (args) => fleet.startSession(args));
  other = await createOrgFixture(fx.db, 'other', (args) => fleet.startSession(args));
});

const recipe = JSON.stringify({ steps: [{ write: { path: 'retry.txt', content: 'again\n' } }] });
let tasks = 0;
/** A prompt no other test dispatches: the same one again after a failure would be a retry of it. */
const uniqueRecipe = () => JSON.stringify({ steps: [{ write: { path: `task-${++tasks}.txt`, content: 'once\n' } }] });

async function dispatch(
  userId = org.userId,
  extra: { retryOfSessionId?: string; prompt?: string; taskType?: 'STANDARD' | 'COMPLEX'; repositoryId?: string } = {},
) {
  return callerFor(userId).session.dispatch({
    orgId: org.orgId,
    repositoryId: extra.repositoryId ?? org.repositoryId,
    title: 'Fix the flaky importer',
    prompt: extra.prompt ?? uniqueRecipe(),
    ...(extra.taskType ? { taskType: extra.taskType } : {}),
    ...(extra.retryOfSessionId ? { retryOfSessionId: extra.retryOfSessionId } : {}),
  });
}

/** A session that ran and ended `status` (or, with `queued`, was cancelled before it ran). */
async function ended(
  status: 'FAILED' | 'CANCELLED' | 'TIMED_OUT' | 'SUCCEEDED',
  opts: { queued?: boolean; userId?: string; prompt?: string } = {},
) {
  const { sessionId } = await dispatch(opts.userId, { prompt: opts.prompt });
  const ref = { orgId: org.orgId, sessionId };
  if (!opts.queued) await markStarted(fx.db, ref);
  await endSession(fx.db, ref, {
    status,
    ...(status === 'CANCELLED' ? { cancelledById: org.userId, whileQueued: !!opts.queued } : {}),
    ...(status === 'FAILED' ? { failureReason: 'checks failed' } : {}),
  });
  return sessionId;
}

const read = (sessionId: string) =>
  fx.db.forOrg(org.orgId, (tx) =>
    tx.agentSession.findUniqueOrThrow({
      where: { id: sessionId },
      include: { interventions: true, events: { where: { type: 'INTERVENTION' } }, invocation: true, retriedAs: true },
    }),
  );

async function member(role: 'DEVELOPER' | 'AUDITOR' | 'LEAD') {
  const { userId } = await signUp(fx.db, { email: uniqueEmail(role.toLowerCase()), password: 'correct horse battery staple', name: role });
  await fx.db.forOrg(org.orgId, (tx) => tx.membership.create({ data: { orgId: org.orgId, userId, role } }));
  return userId;
}

describe('retrying an ended session', () => {
  it('links a retry of a failed session to it and counts it as a restart, on a new invocation with its own SLA window', async () => {
    const failed = await ended('FAILED');
    const { sessionId } = await dispatch(org.userId, { retryOfSessionId: failed, prompt: recipe.replace('again', 'fixed') });
    const retry = await read(sessionId);
    const first = await read(failed);
    expect(retry.retryOfId).toBe(failed);
    expect(first.retriedAs?.id).toBe(sessionId);
    expect(retry.invocationId).not.toBe(first.invocationId);
    expect(retry.slaDeadline!.getTime() - retry.invocation.receivedAt.getTime()).toBe(30 * 60_000);
    expect(retry.interventions).toEqual([expect.objectContaining({ kind: 'RESTART', actorUserId: org.userId, message: null })]);
    // Recorded with the dispatch, just after it: the timeline reads "dispatched", then "restarted".
    const queued = await fx.db.forOrg(org.orgId, (tx) => tx.sessionEvent.findFirstOrThrow({ where: { sessionId, type: 'QUEUED' } }));
    expect(retry.interventions[0]!.at.getTime() - queued.at.getTime()).toBe(1);
    expect(retry.events[0]!.at).toEqual(retry.interventions[0]!.at);
    expect(retry.events).toHaveLength(1);
    expect(retry.events[0]!.data).toMatchObject({ kind: 'RESTART', retryOf: failed });
    // The corrected prompt is what the retry runs.
    const task = await fx.db.forOrg(org.orgId, (tx) => tx.task.findUniqueOrThrow({ where: { id: retry.taskId } }));
    expect(task.prompt).toContain('fixed');
  });

  it('counts a retry after a cancel while running as cancel-and-retry, after a time-out as a restart', async () => {
    const cancelled = await ended('CANCELLED');
    const timedOut = await ended('TIMED_OUT');
    const a = await dispatch(org.userId, { retryOfSessionId: cancelled });
    const b = await dispatch(org.userId, { retryOfSessionId: timedOut });
    expect((await read(a.sessionId)).interventions.map((i) => i.kind)).toEqual(['CANCEL_AND_RETRY']);
    expect((await read(b.sessionId)).interventions.map((i) => i.kind)).toEqual(['RESTART']);
  });

  it('links but does not count a retry of a session cancelled in the queue: its agent never ran', async () => {
    const withdrawn = await ended('CANCELLED', { queued: true });
    const { sessionId } = await dispatch(org.userId, { retryOfSessionId: withdrawn });
    const retry = await read(sessionId);
    expect(retry.retryOfId).toBe(withdrawn);
    expect(retry.interventions).toEqual([]);
  });

  it('never counts a succeeded retry as completed without intervention, unattended, or merged without oversight', async () => {
    // A developer of their own, so that their evidence is this test's sessions only.
    const dev = await member('DEVELOPER');
    const failed = await ended('FAILED', { userId: dev });
    const { sessionId } = await dispatch(dev, { retryOfSessionId: failed });
    const ref = { orgId: org.orgId, sessionId };
    await markStarted(fx.db, ref);
    const opened = new Date();
    await fx.db.forOrg(org.orgId, async (tx) => {
      await tx.pullRequest.create({
        data: {
          orgId: org.orgId,
          sessionId,
          repositoryId: org.repositoryId,
          forge: 'LOCAL',
          number: 900,
          url: 'http://forge.test/pr/900',
          title: 'Fix the flaky importer',
          body: 'retry',
          headBranch: `parallax/${sessionId}`,
          baseBranch: 'main',
          state: 'MERGED',
          openedAt: opened,
          mergedAt: new Date(opened.getTime() + 60_000),
        },
      });
    });
    await endSession(fx.db, ref, { status: 'SUCCEEDED' });
    const day = await fx.db.forOrg(org.orgId, async (tx) => {
      await refreshSessionEvidence(tx, ref, new Date(opened.getTime() + 120_000));
      return tx.$queryRaw<{ succeeded: number; unassisted: number; intervened: number; unattended: number; steered: number }[]>`
        SELECT sum(succeeded)::int AS succeeded, sum(unassisted)::int AS unassisted, sum(intervened)::int AS intervened,
               sum(unattended)::int AS unattended, sum("mergedSteered")::int AS steered
        FROM "EvidenceDay" WHERE "orgId" = ${org.orgId} AND "developerId" = ${dev}`;
    });
    expect(day[0]).toMatchObject({ succeeded: 1, unassisted: 0, unattended: 0, steered: 1, intervened: 1 });
  });

  it('refuses a session that has not ended, one that succeeded, another repository or task type', async () => {
    const running = await dispatch();
    await expect(dispatch(org.userId, { retryOfSessionId: running.sessionId })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('has not ended'),
    });
    const succeeded = await ended('SUCCEEDED');
    await expect(dispatch(org.userId, { retryOfSessionId: succeeded })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('succeeded'),
    });
    const failed = await ended('FAILED');
    await expect(dispatch(org.userId, { retryOfSessionId: failed, taskType: 'COMPLEX' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('keeps the task type'),
    });
    const elsewhere = await fx.db.forOrg(org.orgId, (tx) =>
      tx.repository.create({ data: { orgId: org.orgId, name: 'elsewhere', localPath: '/srv/elsewhere.git' } }),
    );
    await expect(dispatch(org.userId, { retryOfSessionId: failed, repositoryId: elsewhere.id })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('same repository'),
    });
    // Refused retries leave the session to retry as it was: not linked.
    expect((await read(failed)).retriedAs).toBeNull();
  });

  it('retries the latest try when the named one was retried already, and refuses while that one runs', async () => {
    const first = await ended('FAILED');
    const second = await dispatch(org.userId, { retryOfSessionId: first });
    await expect(dispatch(org.userId, { retryOfSessionId: first })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('Its latest try has not ended'),
    });
    await markStarted(fx.db, { orgId: org.orgId, sessionId: second.sessionId });
    await endSession(fx.db, { orgId: org.orgId, sessionId: second.sessionId }, { status: 'CANCELLED', cancelledById: org.userId });
    const third = await dispatch(org.userId, { retryOfSessionId: first });
    const retry = await read(third.sessionId);
    expect(retry.retryOfId).toBe(second.sessionId);
    expect(retry.interventions.map((i) => i.kind)).toEqual(['CANCEL_AND_RETRY']);
  });

  it('takes the same task dispatched again as new after it failed for a retry of it; not after a success, nor a changed prompt', async () => {
    const dev = await member('DEVELOPER');
    const failed = await ended('FAILED', { userId: dev, prompt: recipe });
    const again = await dispatch(dev, { prompt: recipe });
    const retry = await read(again.sessionId);
    expect(retry.retryOfId).toBe(failed);
    expect(retry.interventions.map((i) => i.kind)).toEqual(['RESTART']);
    // Another prompt is another task: no link.
    await markStarted(fx.db, { orgId: org.orgId, sessionId: again.sessionId });
    await endSession(fx.db, { orgId: org.orgId, sessionId: again.sessionId }, { status: 'FAILED', failureReason: 'x' });
    const other = await dispatch(dev, { prompt: recipe.replace('again', 'other') });
    expect((await read(other.sessionId)).retryOfId).toBeNull();
    // After a success there is nothing to retry.
    await markStarted(fx.db, { orgId: org.orgId, sessionId: other.sessionId });
    await endSession(fx.db, { orgId: org.orgId, sessionId: other.sessionId }, { status: 'SUCCEEDED' });
    const fresh = await dispatch(dev, { prompt: recipe.replace('again', 'other') });
    expect((await read(fresh.sessionId)).retryOfId).toBeNull();
  });

  it('lets exactly one of two simultaneous retries through', async () => {
    const failed = await ended('FAILED');
    const results = await Promise.allSettled([
      dispatch(org.userId, { retryOfSessionId: failed }),
      dispatch(org.userId, { retryOfSessionId: failed }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    // Refused by the unique link, or (when the second waited for the first) by its latest try running.
    expect(refused.reason).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/retried a moment ago|has not ended/) });
    const retries = await fx.db.forOrg(org.orgId, (tx) => tx.agentSession.count({ where: { retryOfId: failed } }));
    expect(retries).toBe(1);
  });

  it('lets a developer retry only their own sessions, a lead anyone’s, an auditor none', async () => {
    const dev = await member('DEVELOPER');
    const lead = await member('LEAD');
    const auditor = await member('AUDITOR');
    const owners = await ended('FAILED');
    await expect(dispatch(dev, { retryOfSessionId: owners })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(dispatch(auditor, { retryOfSessionId: owners })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const byLead = await dispatch(lead, { retryOfSessionId: owners });
    const retry = await read(byLead.sessionId);
    // Still the owner's work (their cap, their figures); the retry and its intervention are the lead's.
    expect(retry.developerId).toBe(org.userId);
    expect(retry.invocation.actorUserId).toBe(lead);
    expect(retry.interventions[0]).toMatchObject({ kind: 'RESTART', actorUserId: lead });
    const devs = await ended('FAILED', { userId: dev });
    await expect(dispatch(dev, { retryOfSessionId: devs })).resolves.toMatchObject({ sessionId: expect.any(String) });
  });

  it("never retries another org's session, and changes nothing of it", async () => {
    await endSession(fx.db, { orgId: other.orgId, sessionId: other.sessionId }, { status: 'FAILED', failureReason: 'x' });
    const theirs = () =>
      fx.db.forOrg(other.orgId, async (tx) => ({
        sessions: await tx.agentSession.findMany({ orderBy: { id: 'asc' } }),
        interventions: await tx.intervention.findMany({ orderBy: { id: 'asc' } }),
      }));
    const before = await theirs();
    await expect(dispatch(org.userId, { retryOfSessionId: other.sessionId })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const after = await theirs();
    expect(after).toEqual(before);
    expect(after.sessions.filter((x) => x.retryOfId !== null)).toEqual([]);
  });

  it('refuses a malformed session id with a message', async () => {
    await expect(dispatch(org.userId, { retryOfSessionId: 'x'.repeat(65) })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});
