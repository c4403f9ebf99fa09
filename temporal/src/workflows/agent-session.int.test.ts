// The agent session end to end on the real Temporal dev server, real git and real
// PostgreSQL: the script agent stands in for a model, so every other part is the product's.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Database } from '@parallax/db';
import type { DatabaseFixture } from '@parallax/db/test-database';
import { dispatchTask } from '@parallax/fleet';
import { createLocalForge, readPullRequestMetadata } from '@parallax/fleet/forge';
import { createFleetOrg, createOriginRepo, gitIn, queryOnce, sessionSchemas, until } from '@parallax/fleet/testing';
import type { Client } from '@temporalio/client';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FleetEngine } from '../client.ts';
import { useFleetWorker } from '../test-fleet-worker.ts';
import type { SessionStatusView } from './agent-session.ts';

const worker = useFleetWorker('sessions', { interventionPollMs: 200 });
let fx: DatabaseFixture;
let db: Database;
let client: Client;
let fleet: FleetEngine;
let dataDir: string;
let reposDir: string;
beforeAll(() => {
  ({ database: fx, db, client, fleet, dataDir, reposDir } = worker);
});

const CHECK_SH = '#!/bin/sh\n[ ! -e BROKEN ] || { echo "BROKEN is present"; exit 1; }\necho "checks passed"\n';

async function setUp(options: { developerCap?: number; createsSchema?: boolean; testCommand?: string } = {}) {
  const origin = await createOriginRepo(reposDir, { 'README.md': '# fixture\n', 'check.sh': CHECK_SH });
  const org = await createFleetOrg(db, {
    developerCap: options.developerCap,
    repository: { localPath: origin.path, testCommand: options.testCommand ?? 'sh check.sh', createsSchema: options.createsSchema },
  });
  return { ...org, origin };
}

type Org = Awaited<ReturnType<typeof setUp>>;
type Step = Record<string, unknown>;

async function dispatch(org: Org, title: string, steps: Step[], developerId = org.developerId) {
  return dispatchTask(
    db,
    { orgId: org.orgId, developerId, channel: 'WEB', actorUserId: developerId, rawPayload: { title } },
    { repositoryId: org.repositoryId, title, prompt: JSON.stringify({ steps, summary: `did ${title}` }) },
    (args) => fleet.startSession(args),
  );
}

const handle = (workflowId: string) => client.workflow.getHandle(workflowId);
const status = (workflowId: string) => handle(workflowId).query<SessionStatusView>('status');
const session = (org: { orgId: string }, sessionId: string) =>
  db.forOrg(org.orgId, (tx) =>
    tx.agentSession.findUniqueOrThrow({ where: { id: sessionId }, include: { pullRequest: true, events: { orderBy: { at: 'asc' } } } }),
  );

/** How the session ended, once its cleanup is done; the workflow itself may go on following the PR or the SLA window. */
const outcomeOf = (workflowId: string) => until('the outcome', async () => (await status(workflowId)).outcome, 110_000);

async function logOf(org: { orgId: string }, sessionId: string) {
  const chunks = await db.forOrg(org.orgId, (tx) => tx.sessionLogChunk.findMany({ where: { sessionId }, orderBy: { seq: 'asc' } }));
  return chunks.map((c) => c.text).join('');
}

async function portLeases(sessionId: string) {
  return queryOnce<{ rangeStart: number }>(fx.ownerUrl, `SELECT "rangeStart" FROM "PortLease" WHERE "sessionId" = $1`, [sessionId]);
}

/** The org's EvidenceDay rows summed (one developer, one day in these tests). */
async function evidenceOf(org: { orgId: string }) {
  const rows = await db.forOrg(org.orgId, (tx) => tx.evidenceDay.findMany({ where: { orgId: org.orgId } }));
  const sum: Record<string, number> = {};
  for (const row of rows) for (const [k, v] of Object.entries(row)) if (typeof v === 'number') sum[k] = (sum[k] ?? 0) + v;
  return sum;
}

function eventTypes(events: { type: string }[]) {
  return events.map((e) => e.type);
}

describe('an agent session', { timeout: 120_000 }, () => {
  it('runs to a PR on the local forge, cleans up, and follows the PR until it is merged', async () => {
    const org = await setUp();
    const { sessionId, workflowId } = await dispatch(org, 'add a greeting', [
      { write: { path: 'hello.txt', content: 'hello\n' } },
      { write: { path: '.aider.chat.history.md', content: 'an agent CLI leftover\n' } },
      { run: 'echo agent says hi' },
    ]);

    const open = await until('the PR', async () => (await status(workflowId)).phase === 'FOLLOWING_PR' && status(workflowId));
    expect(open.pullRequest).toMatchObject({ number: 1, state: 'OPEN' });

    const row = await session(org, sessionId);
    expect(row).toMatchObject({ status: 'SUCCEEDED', checksPassed: true, agentExitCode: 0 });
    expect(row.startedAt).toBeInstanceOf(Date);
    expect(row.baseCommit).toBe(gitIn(org.origin.path, ['rev-parse', 'main~0']));
    // The branch is on origin, authored by the agent, with the file and without the session's .env.local or agent leftovers.
    const head = gitIn(org.origin.path, ['rev-parse', `refs/heads/${row.branch}`]);
    expect(gitIn(org.origin.path, ['log', '-1', '--format=%an <%ae>', head])).toBe(
      'script (Parallax agent) <agent+script@parallax.invalid>',
    );
    expect(gitIn(org.origin.path, ['ls-tree', '--name-only', head]).split('\n').sort()).toEqual(['README.md', 'check.sh', 'hello.txt']);
    expect(row.pullRequest).toMatchObject({ headSha: head, filesChanged: 1, linesAdded: 1, linesDeleted: 0, state: 'OPEN' });
    expect(row.pullRequest?.body).toContain('hello.txt');
    // Cleanup already happened: the PR is open, so only the branch stays.
    expect(existsSync(row.worktreePath!)).toBe(false);
    expect(await portLeases(sessionId)).toEqual([]);
    const log = await logOf(org, sessionId);
    expect(log).toContain('agent says hi');
    expect(log).toContain('checks passed');
    // The ended session is already in the evidence rollups: nothing to wait for.
    const ended = await evidenceOf(org);
    expect(ended).toMatchObject({ finished: 1, succeeded: 1, unassisted: 1, prsOpened: 1, prsMerged: 0, slaWithin: 1 });

    // A person merges it on the local forge; the workflow hears and records it.
    const forge = createLocalForge({ db });
    await forge.mergePullRequest({ orgId: org.orgId, pullRequestId: row.pullRequest!.id, mergedBy: 'reviewer@example.test' });
    await handle(workflowId).signal('pullRequestChanged');
    expect(await handle(workflowId).result()).toBe('SUCCEEDED');

    const done = await session(org, sessionId);
    expect(done.pullRequest).toMatchObject({ state: 'MERGED', mergedBy: 'reviewer@example.test' });
    expect(done.pullRequest?.mergedAt).toBeInstanceOf(Date);
    expect(gitIn(org.origin.path, ['show', 'main:hello.txt'])).toBe('hello');
    expect(eventTypes(done.events)).toEqual([
      'QUEUED',
      'ADMITTED',
      'WORKSPACE_READY',
      'STARTED',
      'AGENT_EXITED',
      'CHECKS_PASSED',
      'PR_OPENED',
      'ENDED',
      'CLEANED_UP',
      'PR_MERGED',
    ]);
    expect(gitIn(path.join(dataDir, 'mirrors', `${org.repositoryId}.git`), ['branch', '--list', 'parallax/*'])).toBe('');
    expect(await evidenceOf(org)).toMatchObject({ finished: 1, prsOpened: 1, prsMerged: 1, mergedUnreviewed: 1 });
    const concurrency = await db.forOrg(org.orgId, (tx) => tx.concurrencyDay.findMany({ where: { orgId: org.orgId } }));
    expect(concurrency.map((c) => c.maxConcurrency)).toEqual([1]);
  });

  it('states time to PR in the PR from the invocation’s receipt, not from when the session was queued', async () => {
    const org = await setUp();
    const { sessionId, workflowId } = await dispatch(org, 'late receipt', [{ write: { path: 'late.txt', content: 'late\n' } }]);
    // As if the request had waited 45 minutes in a channel before it was dispatched.
    await queryOnce(
      fx.ownerUrl,
      `UPDATE "Invocation" SET "receivedAt" = "receivedAt" - interval '45 minutes' WHERE id = (SELECT "invocationId" FROM "AgentSession" WHERE id = $1)`,
      [sessionId],
    );
    await until('the PR', async () => (await status(workflowId)).phase === 'FOLLOWING_PR');
    const row = await session(org, sessionId);
    const metadata = readPullRequestMetadata(row.pullRequest!.body);
    expect(metadata?.timeToPrMinutes).toBeGreaterThanOrEqual(45);
    expect(metadata?.timeToPrMinutes).toBeLessThan(50);
  });

  it('picks the PR follow-up up again after continuing as new, and ends when the PR is closed', async () => {
    const org = await setUp();
    const { sessionId, workflowId } = await dispatch(org, 'long review', [{ write: { path: 'slow.txt', content: 'slow\n' } }]);
    const open = await until('the PR', async () => (await status(workflowId)).phase === 'FOLLOWING_PR' && status(workflowId));
    // What the follow-up continues as once its history grows long.
    const continued = await client.workflow.start('agentSession', {
      taskQueue: 'parallax',
      workflowId: `${workflowId}-continued`,
      args: [
        {
          orgId: org.orgId,
          sessionId,
          following: { outcome: 'SUCCEEDED', pullRequest: { number: open.pullRequest!.number, url: open.pullRequest!.url } },
        },
      ],
    });
    expect(await until('the follow-up', async () => (await continued.query<SessionStatusView>('status')).phase === 'FOLLOWING_PR')).toBe(
      true,
    );

    const row = await session(org, sessionId);
    await createLocalForge({ db }).closePullRequest({ orgId: org.orgId, pullRequestId: row.pullRequest!.id, closedBy: org.developerId });
    await continued.signal('pullRequestChanged');
    await handle(workflowId).signal('pullRequestChanged');
    expect(await continued.result()).toBe('SUCCEEDED');
    expect(await handle(workflowId).result()).toBe('SUCCEEDED');
    const done = await session(org, sessionId);
    expect(done.pullRequest).toMatchObject({ state: 'CLOSED' });
    expect(eventTypes(done.events).filter((t) => t.startsWith('PR_'))).toEqual(['PR_OPENED', 'PR_CLOSED']);
  });

  it('ends FAILED with the log when the agent fails, and when the checks fail', async () => {
    const org = await setUp();
    const agentFails = await dispatch(org, 'agent fails', [{ run: 'echo trying hard; exit 3' }]);
    const checksFail = await dispatch(org, 'checks fail', [{ write: { path: 'BROKEN', content: 'x\n' } }]);
    expect(await outcomeOf(agentFails.workflowId)).toBe('FAILED');
    expect(await outcomeOf(checksFail.workflowId)).toBe('FAILED');

    const a = await session(org, agentFails.sessionId);
    expect(a).toMatchObject({ status: 'FAILED', agentExitCode: 3, checksPassed: null, pullRequest: null });
    expect(a.failureReason).toContain('exited with code 3');
    const aLog = await logOf(org, agentFails.sessionId);
    expect(aLog).toContain('trying hard');

    const c = await session(org, checksFail.sessionId);
    expect(c).toMatchObject({ status: 'FAILED', agentExitCode: 0, checksPassed: false, pullRequest: null });
    expect(c.checksOutputTail).toContain('BROKEN is present');
    expect(c.failureReason).toContain('checks failed');
    expect(eventTypes(c.events)).toEqual([
      'QUEUED',
      'ADMITTED',
      'WORKSPACE_READY',
      'STARTED',
      'AGENT_EXITED',
      'CHECKS_FAILED',
      'ENDED',
      'CLEANED_UP',
    ]);
    for (const s of [a, c]) {
      expect(existsSync(s.worktreePath!)).toBe(false);
      expect(await portLeases(s.id)).toEqual([]);
    }
  });

  it('keeps two sessions on one repository apart: worktrees, ports and schemas', async () => {
    const org = await setUp({ createsSchema: true });
    // Each agent records what its environment says, then waits until both have.
    const steps = (name: string): Step[] => [
      { run: `printf '%s %s %s\\n' "$PWD" "$PORT" "$DATABASE_URL" > where-${name}.txt` },
      { run: `psql "$DATABASE_URL" -qc 'CREATE TABLE mine (who text)' && psql "$DATABASE_URL" -qc "INSERT INTO mine VALUES ('${name}')"` },
      { sleep: { ms: 1500 } },
      { run: `test "$(psql "$DATABASE_URL" -tAc 'SELECT who FROM mine')" = "${name}"` },
    ];
    const one = await dispatch(org, 'one', steps('one'));
    const two = await dispatch(org, 'two', steps('two'));
    const running = await until('both running', async () => {
      const rows = await Promise.all([session(org, one.sessionId), session(org, two.sessionId)]);
      return rows.every((r) => r.status === 'RUNNING') && rows;
    });
    const [a, b] = running;
    expect(a.worktreePath).not.toBe(b.worktreePath);
    expect(a.dbSchema).not.toBe(b.dbSchema);
    expect(a.portRangeEnd! < b.portRangeStart! || b.portRangeEnd! < a.portRangeStart!).toBe(true);
    expect((await sessionSchemas(worker.sessionDatabaseUrl)).filter((s) => s === a.dbSchema || s === b.dbSchema)).toHaveLength(2);

    // On a failure, say why: the session's reason and the end of its log.
    const ended = async (r: { workflowId: string; sessionId: string }) => {
      const outcome = await outcomeOf(r.workflowId);
      const s = await session(org, r.sessionId);
      return { outcome, failureReason: s.failureReason, log: outcome === 'SUCCEEDED' ? '' : (await logOf(org, r.sessionId)).slice(-2000) };
    };
    expect(await ended(one)).toEqual({ outcome: 'SUCCEEDED', failureReason: null, log: '' });
    expect(await ended(two)).toEqual({ outcome: 'SUCCEEDED', failureReason: null, log: '' });
    const [doneA, doneB] = await Promise.all([session(org, one.sessionId), session(org, two.sessionId)]);
    const filesOf = (branch: string) => gitIn(org.origin.path, ['ls-tree', '--name-only', `refs/heads/${branch}`]).split('\n');
    expect(filesOf(doneA.branch!)).toContain('where-one.txt');
    expect(filesOf(doneA.branch!)).not.toContain('where-two.txt');
    expect(filesOf(doneB.branch!)).not.toContain('where-one.txt');
    const whereA = gitIn(org.origin.path, ['show', `refs/heads/${doneA.branch}:where-one.txt`]);
    expect(whereA).toContain(`${doneA.portRangeStart}`);
    expect(whereA).toContain(doneA.dbSchema!);
    // Schemas dropped with the sessions.
    expect((await sessionSchemas(worker.sessionDatabaseUrl)).filter((s) => s === a.dbSchema || s === b.dbSchema)).toEqual([]);
  });

  it('cancelled while the agent runs: stops it, records who, cleans everything up, and records the breach when its window closes', async () => {
    const org = await setUp({ createsSchema: true });
    // Cancelled while running, it is still owed its PR (METRICS.md "PR within SLA").
    await db.forOrg(org.orgId, (tx) =>
      tx.slaPolicy.create({ data: { orgId: org.orgId, taskType: 'STANDARD', minutes: 1, effectiveFrom: new Date() } }),
    );
    const { sessionId, workflowId } = await dispatch(org, 'slow', [{ write: { path: 'a.txt', content: 'a\n' } }, { run: 'sleep 137' }]);
    const started = await until('the agent to run', async () => {
      const s = await session(org, sessionId);
      return s.status === 'RUNNING' && s;
    });
    expect(existsSync(started.worktreePath!)).toBe(true);
    const at = Date.now();
    expect(await fleet.cancel(workflowId, { actorUserId: org.developerId })).toBe(true);
    expect(await outcomeOf(workflowId)).toBe('CANCELLED');
    expect(Date.now() - at).toBeLessThan(30_000);

    const s = await session(org, sessionId);
    expect(s).toMatchObject({ status: 'CANCELLED', cancelledById: org.developerId, cancelledWhileQueued: false, pullRequest: null });
    expect(existsSync(started.worktreePath!)).toBe(false);
    expect(await portLeases(sessionId)).toEqual([]);
    expect(await sessionSchemas(worker.sessionDatabaseUrl)).not.toContain(started.dbSchema);
    expect(org.origin.branches()).toEqual(['main']);
    // The sleep is gone with its process group.
    const sleeping = await queryPs('sleep 137');
    expect(sleeping).toBe(false);

    const breachedAt = await until('the SLA breach', async () => (await session(org, sessionId)).slaBreachedAt, 100_000);
    expect(Math.abs(breachedAt.getTime() - s.slaDeadline!.getTime())).toBeLessThan(5_000);
    expect(eventTypes((await session(org, sessionId)).events).slice(-1)).toEqual(['SLA_BREACHED']);
  });

  it('records an SLA breach the moment a one-minute window closes, and hands an intervention to the agent once', async () => {
    const org = await setUp();
    await db.forOrg(org.orgId, (tx) =>
      tx.slaPolicy.create({ data: { orgId: org.orgId, taskType: 'STANDARD', minutes: 1, effectiveFrom: new Date() } }),
    );
    const { sessionId, workflowId } = await dispatch(org, 'needs a hand', [
      { write: { path: 'greeting.txt', content: 'hello\n' } },
      { waitForIntervention: { appendTo: 'NOTES.md' } },
    ]);
    const queued = await session(org, sessionId);
    expect(queued.slaMinutes).toBe(1);

    const breachedAt = await until('the SLA breach', async () => (await session(org, sessionId)).slaBreachedAt, 100_000);
    expect(Math.abs(breachedAt.getTime() - queued.slaDeadline!.getTime())).toBeLessThan(5_000);
    expect((await session(org, sessionId)).status).toBe('RUNNING');

    // A retried signal carries the same id: one intervention, counted once.
    const correction = { interventionId: crypto.randomUUID(), message: 'say hello politely', actorUserId: org.developerId };
    await fleet.intervene(workflowId, correction);
    await fleet.intervene(workflowId, correction);
    expect(await outcomeOf(workflowId)).toBe('SUCCEEDED');

    const done = await session(org, sessionId);
    expect(eventTypes(done.events).filter((t) => t === 'SLA_BREACHED' || t === 'INTERVENTION')).toEqual(['SLA_BREACHED', 'INTERVENTION']);
    const interventions = await db.forOrg(org.orgId, (tx) => tx.intervention.findMany({ where: { sessionId } }));
    expect(interventions).toMatchObject([{ kind: 'MESSAGE', message: 'say hello politely', actorUserId: org.developerId }]);
    expect((await status(workflowId)).interventions).toBe(1);
    expect(gitIn(org.origin.path, ['show', `refs/heads/${done.branch}:NOTES.md`])).toContain('say hello politely');
    expect(done.pullRequest?.openedAt.getTime()).toBeGreaterThan(queued.slaDeadline!.getTime());
  });

  it('cancelled in the queue: done at once when its asker withdrew it; owed its PR, with a breach, when someone else cancelled it', async () => {
    const org = await setUp({ developerCap: 1 });
    await db.forOrg(org.orgId, (tx) =>
      tx.slaPolicy.create({ data: { orgId: org.orgId, taskType: 'STANDARD', minutes: 1, effectiveFrom: new Date() } }),
    );
    const running = await dispatch(org, 'holds the slot', [{ waitForIntervention: true }]);
    const withdrawn = await dispatch(org, 'withdrawn', [{ write: { path: 'w.txt', content: 'w\n' } }]);
    const cancelled = await dispatch(org, 'cancelled by a lead', [{ write: { path: 'c.txt', content: 'c\n' } }]);
    await until('both queued', async () => (await status(cancelled.workflowId)).queuePosition === 2);

    const at = Date.now();
    await fleet.cancel(withdrawn.workflowId, { actorUserId: org.developerId });
    // No window to wait out: the workflow itself completes.
    expect(await handle(withdrawn.workflowId).result()).toBe('CANCELLED');
    expect(Date.now() - at).toBeLessThan(20_000);
    expect(await session(org, withdrawn.sessionId)).toMatchObject({ withdrawnByRequester: true, slaBreachedAt: null });

    await fleet.cancel(cancelled.workflowId, { actorUserId: 'a-lead' });
    expect(await outcomeOf(cancelled.workflowId)).toBe('CANCELLED');
    expect(await status(cancelled.workflowId)).toMatchObject({ phase: 'DONE', queuePosition: null });
    const breachedAt = await until('the SLA breach', async () => (await session(org, cancelled.sessionId)).slaBreachedAt, 100_000);
    const row = await session(org, cancelled.sessionId);
    expect(row).toMatchObject({ withdrawnByRequester: false, cancelledWhileQueued: true });
    expect(Math.abs(breachedAt.getTime() - row.slaDeadline!.getTime())).toBeLessThan(5_000);
    expect(await handle(cancelled.workflowId).result()).toBe('CANCELLED');

    await fleet.intervene(running.workflowId, { interventionId: crypto.randomUUID(), message: 'go', actorUserId: org.developerId });
    expect(await outcomeOf(running.workflowId)).toBe('SUCCEEDED');
  });

  it('with a cap of 3 and 5 dispatched, runs 3 and starts the other 2 in order as slots free', async () => {
    const org = await setUp({ developerCap: 3 });
    const sessions: Awaited<ReturnType<typeof dispatch>>[] = [];
    for (let i = 0; i < 5; i++) {
      sessions.push(await dispatch(org, `task ${i}`, [{ write: { path: `f${i}.txt`, content: `${i}\n` } }, { waitForIntervention: true }]));
    }
    await until('three running', async () => {
      const rows = await Promise.all(sessions.map((s) => session(org, s.sessionId)));
      return rows.filter((r) => r.status === 'RUNNING').length === 3 && rows;
    });
    const queued = await Promise.all(
      sessions.slice(3).map((s) => until('a queue position', async () => (await status(s.workflowId)).queuePosition)),
    );
    expect(queued).toEqual([1, 2]);
    const rows = await Promise.all(sessions.map((s) => session(org, s.sessionId)));
    expect(rows.map((r) => r.status)).toEqual(['RUNNING', 'RUNNING', 'RUNNING', 'QUEUED', 'QUEUED']);

    // Free one slot at a time: the oldest queued session starts each time.
    await fleet.intervene(sessions[0]!.workflowId, { interventionId: crypto.randomUUID(), message: 'go', actorUserId: org.developerId });
    await until('the fourth to start', async () => (await session(org, sessions[3]!.sessionId)).status === 'RUNNING');
    expect((await session(org, sessions[4]!.sessionId)).status).toBe('QUEUED');
    for (const s of [sessions[1]!, sessions[2]!, sessions[3]!, sessions[4]!]) {
      await until('running', async () => (await session(org, s.sessionId)).status === 'RUNNING');
      await fleet.intervene(s.workflowId, { interventionId: crypto.randomUUID(), message: 'go', actorUserId: org.developerId });
    }
    for (const s of sessions) expect(await outcomeOf(s.workflowId)).toBe('SUCCEEDED');
    const done = await Promise.all(sessions.map((s) => session(org, s.sessionId)));
    const startOrder = [...done].sort((x, y) => x.startedAt!.getTime() - y.startedAt!.getTime()).map((r) => r.id);
    expect(startOrder.slice(3)).toEqual([sessions[3]!.sessionId, sessions[4]!.sessionId]);
  });
});

async function queryPs(pattern: string): Promise<boolean> {
  const { execFileSync } = await import('node:child_process');
  const out = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
  return out.split('\n').some((line) => line.trim() === pattern);
}
