// The escape suite: org A's agent tries everything an agent must not do, while org B's
// session runs beside it on the same worker. Each attempt's output is committed to A's
// PR branch as evidence, and the test asserts how each one failed — the file is not
// there, the connection is refused, the variable is not set, the process is gone — and
// that the host is unchanged afterwards.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Database } from '@parallax/db';
import type { DatabaseFixture } from '@parallax/db/test-database';
import { dispatchTask } from '@parallax/fleet';
import { createFleetOrg, createOriginRepo, gitIn, until } from '@parallax/fleet/testing';
import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FleetEngine } from '../client.ts';
import { useFleetWorker } from '../test-fleet-worker.ts';
import type { SessionStatusView } from './agent-session.ts';

const worker = useFleetWorker('escape', { interventionPollMs: 200 });
let fx: DatabaseFixture;
let db: Database;
let client: Client;
let fleet: FleetEngine;
let dataDir: string;
let reposDir: string;
let webApp: Server;
let webPort: number;
const WORKER_SECRET = 'worker-only-secret-value';

beforeAll(async () => {
  ({ database: fx, db, client, fleet, dataDir, reposDir } = worker);
  // What the product keeps in its data folder, and a web app on the host's loopback.
  writeFileSync(path.join(dataDir, 'nextauth-secret'), 'the web session secret\n');
  process.env.PARALLAX_ESCAPE_TEST_SECRET = WORKER_SECRET;
  webApp = createServer((socket) => socket.end('HTTP/1.1 200 OK\r\n\r\nweb app\n'));
  await new Promise<void>((resolve) => webApp.listen(0, '127.0.0.1', () => resolve()));
  webPort = (webApp.address() as { port: number }).port;
});

afterAll(() => {
  delete process.env.PARALLAX_ESCAPE_TEST_SECRET;
  webApp?.close();
});

async function dispatch(org: { orgId: string; developerId: string; repositoryId: string }, title: string, steps: unknown[]) {
  return dispatchTask(
    db,
    { orgId: org.orgId, developerId: org.developerId, channel: 'WEB', actorUserId: org.developerId, rawPayload: { title } },
    { repositoryId: org.repositoryId, title, prompt: JSON.stringify({ steps }) },
    (args) => fleet.startSession(args),
  );
}

const outcomeOf = (workflowId: string) =>
  until('the outcome', async () => (await client.workflow.getHandle(workflowId).query<SessionStatusView>('status')).outcome, 120_000);

/** A commit on origin's main holding a symlink to `target`: what a hostile repository brings. */
function commitSymlink(origin: string, name: string, target: string): void {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'parallax-escape-'));
  try {
    gitIn(scratch, ['init', '--quiet', '--initial-branch', 'main']);
    gitIn(scratch, ['fetch', '--quiet', origin, 'main']);
    gitIn(scratch, ['reset', '--quiet', '--hard', 'FETCH_HEAD']);
    symlinkSync(target, path.join(scratch, name));
    gitIn(scratch, ['add', name]);
    gitIn(scratch, ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '--quiet', '-m', 'a link out']);
    gitIn(scratch, ['push', '--quiet', origin, 'HEAD:refs/heads/main']);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** One attempt: its output and exit code land in report.txt under its name. */
const attempt = (name: string, command: string) => ({
  // The group's own exit is the last echo's: a refused attempt is evidence, not a failed step.
  run: `{ echo "### ${name}"; ( ${command} ) 2>&1; echo "rc=$?"; } >> report.txt`,
});

function sections(report: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of report.split('### ').slice(1)) {
    const newline = part.indexOf('\n');
    out[part.slice(0, newline)] = part.slice(newline + 1);
  }
  return out;
}

const sleepers = (marker: string) =>
  execFileSync('ps', ['-eo', 'args'])
    .toString()
    .split('\n')
    .filter((line) => line.trim() === `sleep ${marker}`);

describe('an agent that tries to escape', () => {
  it('reaches nothing of org B, the product or the host, and leaves nothing behind', { timeout: 240_000 }, async () => {
    // Org B's session runs the whole time, with a secret in its worktree.
    const originB = await createOriginRepo(reposDir, { 'README.md': '# org B\n' });
    const orgB = await createFleetOrg(db, { repository: { localPath: originB.path, createsSchema: true } });
    const b = await dispatch(orgB, 'org B works', [{ write: { path: 'secret.txt', content: 'org B code\n' } }, { run: 'sleep 6099' }]);
    const bRunning = await until('org B to run', async () => {
      const s = await db.forOrg(orgB.orgId, (tx) => tx.agentSession.findUniqueOrThrow({ where: { id: b.sessionId } }));
      return s.status === 'RUNNING' && s.worktreePath !== null && sleepers('6099').length > 0 ? s : null;
    });
    const bWorktree = bRunning.worktreePath!;

    const originA = await createOriginRepo(reposDir, { 'README.md': '# org A\n' });
    commitSymlink(originA.path, 'secret-link', path.join(dataDir, 'nextauth-secret'));
    const orgA = await createFleetOrg(db, { repository: { localPath: originA.path, createsSchema: true } });
    const product = new URL(fx.appUrl);
    const temporalPort = new URL(`http://${worker.temporal.address}`).port;
    const marker = String(6_000 + Math.floor(Math.random() * 90));
    const a = await dispatch(orgA, 'org A escapes', [
      attempt('read B', `cat ${bWorktree}/secret.txt; ls ${path.dirname(bWorktree)}`),
      attempt('read data', `ls ${dataDir}; cat ${dataDir}/nextauth-secret`),
      attempt('read symlink', 'cat secret-link'),
      attempt('write symlink', 'echo pwned > secret-link'),
      attempt('write dotdot', 'echo pwned > ../escaped.txt && cat ../escaped.txt'),
      attempt('write absolute', `echo pwned > ${dataDir}/escaped.txt`),
      attempt('write system', 'echo pwned > /usr/escaped.txt'),
      attempt('db default', `psql postgresql://postgres:postgres@127.0.0.1:5433/postgres -tAc 'select 1'`),
      attempt('db product', `psql '${fx.appUrl}' -tAc 'select count(*) from "Organization"'`),
      attempt(
        'db product host',
        `psql 'postgresql://${product.username}:${product.password}@${product.hostname}:${product.port}/postgres' -tAc 'select 1'`,
      ),
      // Its own database's server is on the sandbox's loopback: as anyone but its own role, nothing.
      attempt('db forward as superuser', `psql postgresql://postgres:postgres@127.0.0.1:5432/postgres -tAc 'select 1'`),
      attempt(
        'db forward as product',
        `psql 'postgresql://${product.username}:${product.password}@127.0.0.1:5432/${product.pathname.slice(1)}' -tAc 'select 1'`,
      ),
      attempt('db own role elsewhere', `psql "$DATABASE_URL" -tAc 'create database stolen'`),
      attempt('db urls found', 'env | grep -o "postgres[a-z]*://[^ ]*" | sort -u'),
      attempt(
        'temporal',
        `node -e "require('net').connect(${temporalPort}, '127.0.0.1').on('connect', () => console.log('CONNECTED')).on('error', (e) => console.log(e.code))"`,
      ),
      attempt(
        'web app',
        `node -e "require('net').connect(${webPort}, '127.0.0.1').on('connect', () => console.log('CONNECTED')).on('error', (e) => console.log(e.code))"`,
      ),
      attempt('worker env', `env; cat /proc/1/environ | tr '\\0' '\\n'`),
      attempt('processes', 'ps -eo user,args'),
      attempt('nested namespace', 'unshare -Ur id'),
      attempt(
        'detach',
        `(setsid sleep ${marker} &); nohup sleep ${marker} >/dev/null 2>&1 & setsid sh -c 'sleep ${marker}' & (sleep ${marker} &); sleep 1; echo detached`,
      ),
      { write: { path: 'done.txt', content: 'done\n' } },
    ]);
    expect(await outcomeOf(a.workflowId)).toBe('SUCCEEDED');
    const sessionA = await db.forOrg(orgA.orgId, (tx) => tx.agentSession.findUniqueOrThrow({ where: { id: a.sessionId } }));
    expect(sessionA.sandboxMode).toBe('bubblewrap');
    const report = sections(gitIn(originA.path, ['show', `refs/heads/${sessionA.branch}:report.txt`]));

    // Org B's worktree and the product's data folder are not there at all.
    expect(report['read B']).toContain(`cat: ${bWorktree}/secret.txt: No such file or directory`);
    expect(report['read B']).not.toContain('org B code');
    // The folder of worktrees holds, as the sandbox sees it, its own and nothing else.
    expect(report['read B']?.split('\n')[1]).toBe(a.sessionId);
    // Of the data folder only the empty frame of its own mounts is there: no secret, no other folder.
    expect(report['read data']?.split('\n').slice(0, 2)).toEqual(['mirrors', 'workspaces']);
    expect(report['read data']).toContain(`cat: ${dataDir}/nextauth-secret: No such file or directory`);
    expect(report['read data']).not.toContain('the web session secret');
    // A symlink the repository brings points at nothing inside; writing through it lands in the
    // sandbox's throwaway root, not on the host; the worker's commit kept it a link.
    expect(report['read symlink']).toMatch(/secret-link: No such file or directory/);
    expect(readFileSync(path.join(dataDir, 'nextauth-secret'), 'utf8')).toBe('the web session secret\n');
    expect(gitIn(originA.path, ['cat-file', '-p', `refs/heads/${sessionA.branch}:secret-link`])).toBe(
      path.join(dataDir, 'nextauth-secret'),
    );
    // Writes outside the worktree land in the sandbox's own throwaway root (gone with it), or fail.
    expect(report['write dotdot']).toContain('pwned');
    expect(existsSync(path.join(path.dirname(sessionA.worktreePath!), 'escaped.txt'))).toBe(false);
    expect(existsSync(path.join(dataDir, 'escaped.txt'))).toBe(false);
    expect(report['write system']).toMatch(/(Read-only file system|Permission denied)/);
    // No database but its own: the product's, with the embedded default credentials or its own URL, is refused.
    // (the product's port may be 5432, which inside is the forward to the session server: refused there too)
    const refusedDb = /(Connection refused|password authentication failed)/;
    for (const tried of ['db default', 'db product', 'db product host', 'db forward as superuser', 'db forward as product']) {
      expect(report[tried], tried).toMatch(refusedDb);
      expect(report[tried], tried).toMatch(/rc=2/);
    }
    expect(report['db own role elsewhere']).toMatch(/permission denied to create database/);
    expect(report['db urls found']?.split('\n').filter((line) => line.startsWith('postgres'))).toEqual([
      expect.stringMatching(/^postgresql:\/\/session_[^:]+:[^@]+@127\.0\.0\.1:5432\//),
    ]);
    // Temporal and the web app are on the host's loopback, which is not the sandbox's.
    expect(report.temporal).toContain('ECONNREFUSED');
    expect(report['web app']).toContain('ECONNREFUSED');
    // The worker's environment is not the agent's.
    expect(report['worker env']).toContain(`PARALLAX_SESSION_ID=${a.sessionId}`);
    expect(report['worker env']).toMatch(/^PATH=\/usr\/local\/bin:\/usr\/bin:\/bin/m);
    for (const leaked of [WORKER_SECRET, 'PARALLAX_ESCAPE_TEST_SECRET', 'TEMPORAL_ADDRESS', fx.appUrl, 'NEXTAUTH_SECRET']) {
      expect(report['worker env']).not.toContain(leaked);
    }
    // It sees only its own processes, as an unprivileged user, and cannot make a namespace to become root in.
    expect(report.processes).not.toContain('sleep 6099');
    expect(report.processes).not.toMatch(/^root /m);
    expect(report['nested namespace']).toMatch(/unshare failed/);
    expect(report['nested namespace']).not.toContain('uid=0(root)');
    // Everything it detached died with its session.
    expect(report.detach).toContain('detached');
    expect(sleepers(marker)).toEqual([]);
    // Org B was untouched and is still running.
    expect(sleepers('6099').length).toBeGreaterThan(0);
    expect(await fleet.cancel(b.workflowId, { actorUserId: orgB.developerId })).toBe(true);
    expect(await outcomeOf(b.workflowId)).toBe('CANCELLED');
    expect(sleepers('6099')).toEqual([]);
  });

  it('cannot make the script agent write through a symlink the repository brings', { timeout: 120_000 }, async () => {
    const origin = await createOriginRepo(reposDir, { 'README.md': '# hostile\n' });
    commitSymlink(origin.path, 'config-link', path.join(dataDir, 'nextauth-secret'));
    const org = await createFleetOrg(db, { repository: { localPath: origin.path } });
    const s = await dispatch(org, 'write through a link', [{ write: { path: 'config-link', content: 'pwned\n' } }]);
    expect(await outcomeOf(s.workflowId)).toBe('FAILED');
    const row = await db.forOrg(org.orgId, (tx) => tx.agentSession.findUniqueOrThrow({ where: { id: s.sessionId } }));
    expect(row.failureReason).toMatch(/config-link leads outside the worktree/);
    expect(readFileSync(path.join(dataDir, 'nextauth-secret'), 'utf8')).toBe('the web session secret\n');
  });
});
