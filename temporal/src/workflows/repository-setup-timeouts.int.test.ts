// The bounds on a repository's setup and teardown, with a worker whose limits are short:
// a setup that runs too long fails the session with that reason and the tail of its
// output, stopped with everything it started; a teardown that runs too long is stopped,
// logged, and changes neither the outcome nor the cleanup.
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import type { Database } from '@parallax/db';
import { dispatchTask } from '@parallax/fleet';
import { createFleetOrg, createOriginRepo, queryOnce } from '@parallax/fleet/testing';
import type { Client } from '@temporalio/client';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FleetEngine } from '../client.ts';
import { useFleetWorker } from '../test-fleet-worker.ts';
import type { SessionStatusView } from './agent-session.ts';

const worker = useFleetWorker('setup-timeouts', { setupTimeoutMs: 2_000, teardownTimeoutMs: 1_500 });
let db: Database;
let client: Client;
let fleet: FleetEngine;
beforeAll(() => {
  ({ db, client, fleet } = worker);
});

async function sessionOf(commands: { setupCommand?: string; teardownCommand?: string }, steps: Record<string, unknown>[]) {
  const origin = await createOriginRepo(worker.reposDir, { 'README.md': '# fixture\n' });
  const org = await createFleetOrg(db, { repository: { localPath: origin.path, testCommand: 'true' } });
  await db.forOrg(org.orgId, (tx) => tx.repository.update({ where: { id: org.repositoryId }, data: commands }));
  const started = await dispatchTask(
    db,
    { orgId: org.orgId, developerId: org.developerId, channel: 'WEB', actorUserId: org.developerId, rawPayload: {} },
    { repositoryId: org.repositoryId, title: 'bounded', prompt: JSON.stringify({ steps, summary: 'bounded' }) },
    (args) => fleet.startSession(args),
  );
  return { org, ...started };
}

async function outcomeOf(workflowId: string): Promise<string> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const outcome = await client.workflow
      .getHandle(workflowId)
      .query<SessionStatusView>('status')
      .then((s) => s.outcome)
      .catch(() => null);
    if (outcome) return outcome;
    if (Date.now() > deadline) throw new Error('timed out waiting for the outcome');
    await new Promise((r) => setTimeout(r, 150));
  }
}

const psHas = (line: string) =>
  execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
    .split('\n')
    .some((l) => l.trim() === line);

describe('setup and teardown bounds', { timeout: 90_000 }, () => {
  it('a setup past its time fails the session with the reason and its output, and leaves nothing running', async () => {
    const { org, sessionId, workflowId } = await sessionOf({ setupCommand: 'echo "waiting for a service"; sleep 97' }, [
      { run: 'echo agent-was-here' },
    ]);
    expect(await outcomeOf(workflowId)).toBe('FAILED');
    const row = await db.forOrg(org.orgId, (tx) => tx.agentSession.findUniqueOrThrow({ where: { id: sessionId } }));
    expect(row.failureReason).toContain('setup failed: the setup command ran longer than 2 s');
    expect(row.failureReason).toContain('waiting for a service');
    expect(row.startedAt).toBeNull();
    expect(psHas('sleep 97')).toBe(false);
    expect(row.worktreePath && existsSync(row.worktreePath)).toBe(false);
  });

  it('a teardown past its time is stopped and logged; the session still succeeds and is cleaned up', async () => {
    const { org, sessionId, workflowId } = await sessionOf({ teardownCommand: 'echo "draining"; sleep 98' }, [
      { write: { path: 'x.txt', content: 'x\n' } },
    ]);
    expect(await outcomeOf(workflowId)).toBe('SUCCEEDED');
    const row = await db.forOrg(org.orgId, (tx) => tx.agentSession.findUniqueOrThrow({ where: { id: sessionId } }));
    expect(row.status).toBe('SUCCEEDED');
    const log = (await db.forOrg(org.orgId, (tx) => tx.sessionLogChunk.findMany({ where: { sessionId }, orderBy: { seq: 'asc' } })))
      .map((c) => c.text)
      .join('');
    expect(log).toContain('draining');
    expect(log).toContain('the teardown command ran longer than 2 s and was stopped');
    expect(log).toContain('[parallax] teardown failed (timed out); cleanup goes on');
    expect(psHas('sleep 98')).toBe(false);
    expect(row.worktreePath && existsSync(row.worktreePath)).toBe(false);
    expect(await queryOnce(worker.database.ownerUrl, `SELECT 1 FROM "PortLease" WHERE "sessionId" = $1`, [sessionId])).toEqual([]);
  });
});
