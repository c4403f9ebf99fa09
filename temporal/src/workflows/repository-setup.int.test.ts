// A repository's setup and teardown commands, and its template schema, in real agent
// sessions: the real Temporal dev server, real git, real PostgreSQL and the real sandbox.
// The teardown leaves its marks in the session's HOME: the worktree and the schema are
// gone by the time the test looks, the HOME is not.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Database } from '@parallax/db';
import type { DatabaseFixture } from '@parallax/db/test-database';
import { dispatchTask } from '@parallax/fleet';
import { createFleetOrg, createOriginRepo, gitIn, queryOnce, sessionSchemas, until } from '@parallax/fleet/testing';
import type { Client } from '@temporalio/client';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FleetEngine } from '../client.ts';
import { useFleetWorker } from '../test-fleet-worker.ts';
import type { SessionStatusView } from './agent-session.ts';

const worker = useFleetWorker('setup');
let fx: DatabaseFixture;
let db: Database;
let client: Client;
let fleet: FleetEngine;
beforeAll(() => {
  ({ database: fx, db, client, fleet } = worker);
});

const TEARDOWN = `echo "teardown saw $(psql "$DATABASE_URL" -tAc 'SELECT count(*) FROM seeded' 2>&1)" >> "$HOME/teardown.log"`;

async function setUp(commands: { setupCommand?: string; teardownCommand?: string; templateSchema?: string }) {
  const origin = await createOriginRepo(worker.reposDir, { 'README.md': '# fixture\n', '.gitignore': 'node_modules/\n' });
  const org = await createFleetOrg(db, { repository: { localPath: origin.path, testCommand: 'true', createsSchema: true } });
  await db.forOrg(org.orgId, (tx) => tx.repository.update({ where: { id: org.repositoryId }, data: commands }));
  return { ...org, origin };
}

type Org = Awaited<ReturnType<typeof setUp>>;

async function dispatch(org: Org, title: string, steps: Record<string, unknown>[]) {
  return dispatchTask(
    db,
    { orgId: org.orgId, developerId: org.developerId, channel: 'WEB', actorUserId: org.developerId, rawPayload: { title } },
    { repositoryId: org.repositoryId, title, prompt: JSON.stringify({ steps, summary: `did ${title}` }) },
    (args) => fleet.startSession(args),
  );
}

const status = (workflowId: string) => client.workflow.getHandle(workflowId).query<SessionStatusView>('status');
const session = (org: Org, sessionId: string) =>
  db.forOrg(org.orgId, (tx) => tx.agentSession.findUniqueOrThrow({ where: { id: sessionId }, include: { events: true } }));
const logOf = async (org: Org, sessionId: string) =>
  (await db.forOrg(org.orgId, (tx) => tx.sessionLogChunk.findMany({ where: { sessionId }, orderBy: { seq: 'asc' } })))
    .map((c) => c.text)
    .join('');
const homeFile = (sessionId: string, name: string) => path.join(worker.dataDir, 'sandbox', 'homes', sessionId, name);
const portLeases = (sessionId: string) => queryOnce(fx.ownerUrl, `SELECT 1 FROM "PortLease" WHERE "sessionId" = $1`, [sessionId]);

const outcomeOf = (workflowId: string) => until('the outcome', async () => (await status(workflowId)).outcome, 110_000);

async function expectCleanedUp(row: { id: string; worktreePath: string | null; dbSchema: string | null }) {
  expect(row.worktreePath && existsSync(row.worktreePath)).toBe(false);
  expect(await portLeases(row.id)).toEqual([]);
  expect(await sessionSchemas(worker.sessionDatabaseUrl)).not.toContain(row.dbSchema);
}

describe('a repository setup step', { timeout: 120_000 }, () => {
  it('prepares worktree and schema before the agent, which sees both; a failing teardown leaves SUCCEEDED alone', async () => {
    const org = await setUp({
      setupCommand: `echo "installing deps"; mkdir -p node_modules && echo installed > node_modules/.state && psql "$DATABASE_URL" -qc "CREATE TABLE seeded (v text); INSERT INTO seeded VALUES ('seed row')"`,
      teardownCommand: `${TEARDOWN}; echo "teardown breaks"; exit 7`,
    });
    const { sessionId, workflowId } = await dispatch(org, 'use the setup', [
      { run: `{ cat node_modules/.state; psql "$DATABASE_URL" -tAc 'SELECT v FROM seeded'; } > seen.txt` },
    ]);
    expect(await outcomeOf(workflowId)).toBe('SUCCEEDED');

    const row = await session(org, sessionId);
    expect(row.status).toBe('SUCCEEDED');
    expect(gitIn(org.origin.path, ['show', `refs/heads/${row.branch}:seen.txt`])).toBe('installed\nseed row');
    // What setup installed stays out of the PR, as the repository's .gitignore says.
    expect(gitIn(org.origin.path, ['ls-tree', '--name-only', `refs/heads/${row.branch}`]).split('\n')).not.toContain('node_modules');
    const log = await logOf(org, sessionId);
    expect(log).toContain('[parallax] setup: $ echo "installing deps"');
    expect(log.indexOf('installing deps\n')).toBeLessThan(log.indexOf('[parallax] script (SCRIPT) starts'));
    expect(log).toContain('teardown breaks');
    expect(log).toContain('[parallax] teardown failed (exit 7); cleanup goes on');
    // The teardown ran with the session's database still there, before cleanup dropped it.
    expect(readFileSync(homeFile(sessionId, 'teardown.log'), 'utf8')).toBe('teardown saw 1\n');
    await expectCleanedUp(row);
  });

  it('failing: FAILED with its output, the agent never runs, teardown still runs and the workspace is cleaned up', async () => {
    const org = await setUp({
      setupCommand: 'echo "migration 0042 failed: relation users does not exist" >&2; exit 4',
      teardownCommand: 'echo "teardown ran" >> "$HOME/teardown.log"',
    });
    const { sessionId, workflowId } = await dispatch(org, 'never runs', [{ run: 'echo agent-was-here' }]);
    expect(await outcomeOf(workflowId)).toBe('FAILED');

    const row = await session(org, sessionId);
    expect(row).toMatchObject({ status: 'FAILED', agentExitCode: null, startedAt: null });
    expect(row.failureReason).toContain('setup failed: the setup command exited with code 4');
    expect(row.failureReason).toContain('migration 0042 failed: relation users does not exist');
    expect(row.events.map((e) => e.type)).not.toContain('STARTED');
    const log = await logOf(org, sessionId);
    expect(log).not.toContain('agent-was-here');
    expect(log).toContain('[parallax] teardown done');
    expect(readFileSync(homeFile(sessionId, 'teardown.log'), 'utf8')).toBe('teardown ran\n');
    await expectCleanedUp(row);
  });

  it('cancelled during setup: its processes are gone, teardown runs, everything is cleaned up', async () => {
    const org = await setUp({
      setupCommand: 'echo "seeding slowly"; sleep 139',
      teardownCommand: 'echo cancelled-teardown >> "$HOME/teardown.log"',
    });
    const { sessionId, workflowId } = await dispatch(org, 'cancel me', [{ run: 'echo agent-was-here' }]);
    await until(
      'setup to run',
      async () => (await status(workflowId)).phase === 'SETTING_UP' && (await logOf(org, sessionId)).includes('seeding slowly'),
    );
    expect(await psHas('sleep 139')).toBe(true);
    const at = Date.now();
    expect(await fleet.cancel(workflowId, { actorUserId: org.developerId })).toBe(true);
    expect(await outcomeOf(workflowId)).toBe('CANCELLED');
    expect(Date.now() - at).toBeLessThan(30_000);

    const row = await session(org, sessionId);
    expect(row).toMatchObject({ status: 'CANCELLED', agentExitCode: null, startedAt: null });
    expect(await psHas('sleep 139')).toBe(false);
    expect(readFileSync(homeFile(sessionId, 'teardown.log'), 'utf8')).toBe('cancelled-teardown\n');
    expect(await logOf(org, sessionId)).not.toContain('agent-was-here');
    await expectCleanedUp(row);
  });

  it('setup and teardown run in the agent’s sandbox: not root, no write outside the worktree, no worker environment', async () => {
    process.env.PARALLAX_TEST_WORKER_ONLY = 'worker-secret';
    try {
      const probe = (name: string, outside: string) =>
        `id -u > "$HOME/${name}-uid"; env > "$HOME/${name}-env"; echo escaped > ${outside}/${name}-escaped; if echo escaped > /usr/${name}-escaped 2>/dev/null; then echo wrote; else echo refused; fi > "$HOME/${name}-write"`;
      // The origins' folder of the host: the sandbox sees a /tmp of its own, so a write there must not reach the host's.
      const origin = worker.reposDir;
      const org = await setUp({ setupCommand: probe('setup', origin), teardownCommand: probe('teardown', origin) });
      const { sessionId, workflowId } = await dispatch(org, 'sandboxed setup', [{ write: { path: 'x.txt', content: 'x\n' } }]);
      expect(await outcomeOf(workflowId)).toBe('SUCCEEDED');
      for (const name of ['setup', 'teardown']) {
        expect(readFileSync(homeFile(sessionId, `${name}-uid`), 'utf8').trim()).not.toBe('0');
        expect(readFileSync(homeFile(sessionId, `${name}-write`), 'utf8')).toBe('refused\n');
        expect(existsSync(path.join(origin, `${name}-escaped`))).toBe(false);
        const env = readFileSync(homeFile(sessionId, `${name}-env`), 'utf8');
        expect(env).toContain(`PARALLAX_SESSION_ID=${sessionId}`);
        expect(env).toMatch(/^DATABASE_URL=postgresql:\/\/session_/m);
        expect(env).not.toContain('worker-secret');
      }
    } finally {
      delete process.env.PARALLAX_TEST_WORKER_ONLY;
    }
  });

  it('teardown runs when the agent fails too', async () => {
    const org = await setUp({ teardownCommand: 'echo "after a failure" >> "$HOME/teardown.log"' });
    const { sessionId, workflowId } = await dispatch(org, 'agent fails', [{ run: 'exit 3' }]);
    expect(await outcomeOf(workflowId)).toBe('FAILED');
    expect((await session(org, sessionId)).failureReason).toContain('exited with code 3');
    expect(readFileSync(homeFile(sessionId, 'teardown.log'), 'utf8')).toBe('after a failure\n');
  });

  it('starts the session’s schema as a copy of its template, which setup migrates and the agent reads; the template is untouched', async () => {
    const template = `tpl_${Math.random().toString(36).slice(2, 8)}`;
    const org = await setUp({
      templateSchema: template,
      setupCommand: `psql "$DATABASE_URL" -qc "ALTER TABLE plans ADD COLUMN migrated boolean DEFAULT true; INSERT INTO plans (name) VALUES ('from setup')"`,
    });
    await queryOnce(
      worker.sessionDatabaseUrl,
      `CREATE SCHEMA ${template}; CREATE TABLE ${template}.plans (id serial PRIMARY KEY, name text NOT NULL);
       INSERT INTO ${template}.plans (name) VALUES ('seeded free'), ('seeded pro');
       COMMENT ON SCHEMA ${template} IS 'parallax-template:${org.orgId}'`,
    );
    const { sessionId, workflowId } = await dispatch(org, 'read the seed', [
      { run: `psql "$DATABASE_URL" -tAc "SELECT id || ' ' || name || ' ' || migrated FROM plans ORDER BY id" > plans.txt` },
    ]);
    expect(await outcomeOf(workflowId)).toBe('SUCCEEDED');
    const row = await session(org, sessionId);
    expect(gitIn(org.origin.path, ['show', `refs/heads/${row.branch}:plans.txt`])).toBe(
      '1 seeded free true\n2 seeded pro true\n3 from setup true',
    );
    expect(await queryOnce(worker.sessionDatabaseUrl, `SELECT name FROM ${template}.plans ORDER BY id`)).toEqual([
      { name: 'seeded free' },
      { name: 'seeded pro' },
    ]);
    const [seq] = await queryOnce<{ last_value: string }>(
      worker.sessionDatabaseUrl,
      `SELECT last_value::text FROM ${template}.plans_id_seq`,
    );
    expect(seq?.last_value).toBe('2');
    await expectCleanedUp(row);
    await queryOnce(worker.sessionDatabaseUrl, `DROP SCHEMA ${template} CASCADE`);
  });

  it('a template schema that is not on the session server fails the session with a clear reason', async () => {
    const org = await setUp({ templateSchema: 'no_such_template', teardownCommand: 'echo no-workspace >> "$HOME/teardown.log"' });
    const { sessionId, workflowId } = await dispatch(org, 'no template', [{ run: 'echo agent-was-here' }]);
    expect(await outcomeOf(workflowId)).toBe('FAILED');
    const row = await session(org, sessionId);
    expect(row.failureReason).toMatch(/Template schema "no_such_template" does not exist on the session database server/);
    expect(row.agentExitCode).toBeNull();
    // No workspace was ever made: nothing to tear down.
    expect(existsSync(homeFile(sessionId, 'teardown.log'))).toBe(false);
  });
});

async function psHas(line: string): Promise<boolean> {
  const { execFileSync } = await import('node:child_process');
  return execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
    .split('\n')
    .some((l) => l.trim() === line);
}
