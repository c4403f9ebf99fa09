import { describe, it, expect, beforeAll } from 'vitest';
import { useTestDatabase, type DatabaseFixture } from '@parallax/db/test-database';
import { admitNext, getQueuePositions } from '../admission/index.ts';
import { createFleetOrg, addDeveloper } from '../../test/fixtures/org.ts';
import { dispatchTask, endSession, recordIntervention, recordSlaBreachIfNoPr } from './index.ts';

let fx: DatabaseFixture;
beforeAll(async () => {
  fx = await useTestDatabase();
});

const started: string[] = [];
/** A script-agent recipe: the default profile of a new org is the script agent. */
const recipe = (title: string) => JSON.stringify({ steps: [{ write: { path: `${title}.txt`, content: `${title}\n` } }] });
const start = async ({ workflowId }: { workflowId: string }) => {
  started.push(workflowId);
};

async function dispatch(org: Awaited<ReturnType<typeof createFleetOrg>>, title: string, developerId = org.developerId) {
  return dispatchTask(
    fx.db,
    { orgId: org.orgId, developerId, channel: 'WEB', actorUserId: developerId, rawPayload: { title } },
    { repositoryId: org.repositoryId, title, prompt: recipe(title) },
    start,
  );
}

describe('dispatch and admission', () => {
  it('records the invocation, the task and a QUEUED session with the SLA in force, then starts its workflow', async () => {
    const org = await createFleetOrg(fx.db);
    const { sessionId, invocationId, workflowId } = await dispatch(org, 'first');
    expect(started).toContain(workflowId);
    const row = await fx.db.forOrg(org.orgId, (tx) =>
      tx.agentSession.findUniqueOrThrow({ where: { id: sessionId }, include: { invocation: true, events: true } }),
    );
    expect(row).toMatchObject({ status: 'QUEUED', slaMinutes: 30, invocationId, developerId: org.developerId });
    expect(row.slaDeadline!.getTime() - row.invocation.receivedAt.getTime()).toBe(30 * 60_000);
    expect(row.invocation).toMatchObject({ channel: 'WEB', error: null });
    expect(row.invocation.payloadDigest).toMatch(/^[0-9a-f]{64}$/);
    expect(row.invocation.workflowStartedAt).toBeInstanceOf(Date);
    expect(row.events.map((e) => e.type)).toEqual(['QUEUED']);
  });

  it('keeps the invocation when the workflow cannot start, and ends the session FAILED', async () => {
    const org = await createFleetOrg(fx.db);
    const failing = () => Promise.reject(new Error('Temporal unreachable'));
    await expect(
      dispatchTask(
        fx.db,
        { orgId: org.orgId, developerId: org.developerId, channel: 'CLI', rawPayload: {} },
        { repositoryId: org.repositoryId, title: 't', prompt: recipe('t') },
        failing,
      ),
    ).rejects.toThrow('Temporal unreachable');
    const [invocation] = await fx.db.forOrg(org.orgId, (tx) => tx.invocation.findMany({ include: { sessions: true } }));
    expect(invocation?.error).toContain('Temporal unreachable');
    expect(invocation?.sessions[0]).toMatchObject({ status: 'FAILED' });
  });

  it('keeps the invocation of a request that fails validation', async () => {
    const org = await createFleetOrg(fx.db);
    await expect(
      dispatchTask(
        fx.db,
        { orgId: org.orgId, developerId: org.developerId, channel: 'API', rawPayload: { bad: true } },
        { repositoryId: org.repositoryId, title: '', prompt: 'p' },
        start,
      ),
    ).rejects.toThrow();
    const invocations = await fx.db.forOrg(org.orgId, (tx) => tx.invocation.findMany());
    expect(invocations).toHaveLength(1);
    expect(invocations[0]?.error).toMatch(/title/);
  });

  it('refuses, before anything runs, a plain-language prompt for the script agent, and keeps the invocation', async () => {
    const org = await createFleetOrg(fx.db);
    await expect(
      dispatchTask(
        fx.db,
        { orgId: org.orgId, developerId: org.developerId, channel: 'WEB', rawPayload: {} },
        { repositoryId: org.repositoryId, title: 'plain', prompt: 'Please add a CONTRIBUTING.md' },
        start,
      ),
    ).rejects.toMatchObject({ code: 'INVALID', message: expect.stringContaining('not a JSON recipe') });
    const invocations = await fx.db.forOrg(org.orgId, (tx) => tx.invocation.findMany({ include: { sessions: true } }));
    expect(invocations).toHaveLength(1);
    expect(invocations[0]?.error).toContain('not a JSON recipe');
    expect(invocations[0]?.sessions).toEqual([]);
  });

  it('with a cap of 3 and 5 dispatched, runs exactly 3 and starts the other 2 in order as slots free', async () => {
    const org = await createFleetOrg(fx.db, { developerCap: 3 });
    const ids: string[] = [];
    for (const n of [1, 2, 3, 4, 5]) ids.push((await dispatch(org, `task ${n}`)).sessionId);
    const first = await admitNext(fx.db, org.orgId);
    expect(first.map((a) => a.sessionId)).toEqual(ids.slice(0, 3));
    expect(await admitNext(fx.db, org.orgId)).toEqual([]);
    expect(Object.fromEntries(await getQueuePositions(fx.db, org.orgId))).toEqual({ [ids[3]!]: 1, [ids[4]!]: 2 });

    await endSession(fx.db, { orgId: org.orgId, sessionId: ids[1]! }, { status: 'SUCCEEDED' });
    expect((await admitNext(fx.db, org.orgId)).map((a) => a.sessionId)).toEqual([ids[3]]);
    await endSession(fx.db, { orgId: org.orgId, sessionId: ids[0]! }, { status: 'FAILED', failureReason: 'agent failed' });
    expect((await admitNext(fx.db, org.orgId)).map((a) => a.sessionId)).toEqual([ids[4]]);
  });

  it('hands the same slot to only one of two concurrent admitters', async () => {
    const org = await createFleetOrg(fx.db, { developerCap: 1 });
    const a = await dispatch(org, 'a');
    await dispatch(org, 'b');
    const [x, y] = await Promise.all([admitNext(fx.db, org.orgId), admitNext(fx.db, org.orgId)]);
    expect([...x, ...y].map((s) => s.sessionId)).toEqual([a.sessionId]);
  });

  it("admits a colleague's session ahead of a busy developer's backlog", async () => {
    const org = await createFleetOrg(fx.db, { developerCap: 5 });
    await fx.db.forOrg(org.orgId, (tx) => tx.organization.update({ where: { id: org.orgId }, data: { orgConcurrencyCap: 2 } }));
    const colleague = await addDeveloper(fx.db, org.orgId);
    const busy1 = await dispatch(org, 'busy 1');
    await dispatch(org, 'busy 2');
    await dispatch(org, 'busy 3');
    const theirs = await dispatch(org, 'colleague', colleague);
    expect((await admitNext(fx.db, org.orgId)).map((a) => a.sessionId)).toEqual([busy1.sessionId, theirs.sessionId]);
  });

  it('records an intervention once however often it is replayed, and an SLA breach only without a PR', async () => {
    const org = await createFleetOrg(fx.db);
    const { sessionId } = await dispatch(org, 'watched');
    const ref = { orgId: org.orgId, sessionId };
    const intervention = {
      interventionId: crypto.randomUUID(),
      kind: 'MESSAGE' as const,
      message: 'use the v2 API',
      actorUserId: org.developerId,
    };
    expect(await recordIntervention(fx.db, ref, intervention)).toBe(true);
    expect(await recordIntervention(fx.db, ref, intervention)).toBe(true);
    expect(await recordSlaBreachIfNoPr(fx.db, ref)).toBe(true);
    expect(await recordSlaBreachIfNoPr(fx.db, ref)).toBe(false);
    const events = await fx.db.forOrg(org.orgId, (tx) => tx.sessionEvent.findMany({ where: { sessionId }, orderBy: { at: 'asc' } }));
    expect(events.map((e) => e.type)).toEqual(['QUEUED', 'INTERVENTION', 'SLA_BREACHED']);
    expect(await fx.db.forOrg(org.orgId, (tx) => tx.intervention.count({ where: { sessionId } }))).toBe(1);
  });

  it('records no intervention on a session that has ended (a message in flight as it ended)', async () => {
    const org = await createFleetOrg(fx.db);
    const { sessionId } = await dispatch(org, 'ends first');
    const ref = { orgId: org.orgId, sessionId };
    await endSession(fx.db, ref, { status: 'FAILED', failureReason: 'the agent exited with code 1' });
    const late = { interventionId: crypto.randomUUID(), kind: 'MESSAGE' as const, message: 'too late', actorUserId: org.developerId };
    expect(await recordIntervention(fx.db, ref, late)).toBe(false);
    expect(await fx.db.forOrg(org.orgId, (tx) => tx.intervention.count({ where: { sessionId } }))).toBe(0);
    const events = await fx.db.forOrg(org.orgId, (tx) => tx.sessionEvent.findMany({ where: { sessionId }, select: { type: true } }));
    expect(events.map((e) => e.type)).not.toContain('INTERVENTION');
    // Another org's session id reads as no session: nothing is written either.
    const other = await createFleetOrg(fx.db);
    const open = await dispatch(org, 'still queued');
    expect(
      await recordIntervention(fx.db, { orgId: other.orgId, sessionId: open.sessionId }, { ...late, interventionId: crypto.randomUUID() }),
    ).toBe(false);
    // Counted as either org: a row written under the other org's id would show there.
    for (const orgId of [org.orgId, other.orgId]) {
      expect(await fx.db.forOrg(orgId, (tx) => tx.intervention.count({ where: { sessionId: open.sessionId } }))).toBe(0);
    }
  });

  it('withdraws a queued task from the SLA only when the person who asked cancels it', async () => {
    const org = await createFleetOrg(fx.db);
    const colleague = await addDeveloper(fx.db, org.orgId);
    const own = await dispatch(org, 'withdrawn');
    const other = await dispatch(org, 'cancelled-by-a-colleague');
    const unstarted = await dispatch(org, 'never-admitted');
    await endSession(
      fx.db,
      { orgId: org.orgId, sessionId: own.sessionId },
      { status: 'CANCELLED', cancelledById: org.developerId, whileQueued: true },
    );
    await endSession(
      fx.db,
      { orgId: org.orgId, sessionId: other.sessionId },
      { status: 'CANCELLED', cancelledById: colleague, whileQueued: true },
    );
    await endSession(fx.db, { orgId: org.orgId, sessionId: unstarted.sessionId }, { status: 'FAILED' });
    const rows = await fx.db.forOrg(org.orgId, (tx) =>
      tx.agentSession.findMany({ select: { id: true, cancelledWhileQueued: true, withdrawnByRequester: true } }),
    );
    const of = (id: string) => rows.find((r) => r.id === id);
    // Both were cancelled while queued (neither finished); only the asker's own is left out of the SLA.
    expect(of(own.sessionId)).toMatchObject({ cancelledWhileQueued: true, withdrawnByRequester: true });
    expect(of(other.sessionId)).toMatchObject({ cancelledWhileQueued: true, withdrawnByRequester: false });
    expect(of(unstarted.sessionId)).toMatchObject({ cancelledWhileQueued: false, withdrawnByRequester: false });
    // A breach is recorded only where the evidence counts one: not for the task its asker withdrew.
    expect(await recordSlaBreachIfNoPr(fx.db, { orgId: org.orgId, sessionId: own.sessionId })).toBe(false);
    expect(await recordSlaBreachIfNoPr(fx.db, { orgId: org.orgId, sessionId: other.sessionId })).toBe(true);
  });
});
