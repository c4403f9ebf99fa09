// The worker as it runs in production: a separate process started from worker.ts,
// configured only by the environment, provisioning an org that the web app's
// provisioner asked for, and stopping cleanly on SIGTERM.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Database } from '@parallax/db';
import { useTestDatabase } from '@parallax/db/test-database';
import { beforeAll, describe, expect, it } from 'vitest';
import { createProvisioner, provisionOrgWorkflowId } from './client.ts';
import { type TemporalFixture, useTestTemporal } from './test-temporal.ts';
import type { provisionOrg } from './workflows/index.ts';

const workerPath = fileURLToPath(new URL('./worker.ts', import.meta.url));

interface WorkerProcess {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function startWorker(env: Record<string, string | undefined>): WorkerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', workerPath], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitForOutput(worker: WorkerProcess, text: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!worker.output().includes(text)) {
    if (worker.child.exitCode !== null) throw new Error(`worker exited (${worker.child.exitCode}):\n${worker.output()}`);
    if (Date.now() > deadline) throw new Error(`no "${text}" from the worker within ${timeoutMs} ms:\n${worker.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

let db: Database;
let appUrl: string;
let temporal: TemporalFixture;

beforeAll(async () => {
  [{ db, appUrl }, temporal] = await Promise.all([useTestDatabase(), useTestTemporal()]);
});

describe('worker process', () => {
  it('provisions an org started by the provisioner, is not restarted by a second request, and stops on SIGTERM', async () => {
    const orgId = 'org-w-1';
    await db.forOrg(orgId, (tx) => tx.organization.create({ data: { id: orgId, slug: orgId, name: 'Acme' } }));
    const worker = startWorker({ TEMPORAL_ADDRESS: temporal.address, TEMPORAL_NAMESPACE: temporal.namespace, DATABASE_URL: appUrl });
    try {
      await waitForOutput(worker, 'worker: polling');
      expect(worker.output()).toContain(
        `worker: polling ${temporal.address} (namespace ${temporal.namespace}, plaintext, task queue parallax)`,
      );

      const provisioner = createProvisioner(temporal.env.client);
      await provisioner.provisionOrg(orgId);
      const handle = temporal.env.client.workflow.getHandle<typeof provisionOrg>(provisionOrgWorkflowId(orgId));
      expect((await handle.result()).created).toHaveLength(4);
      const provisioned = await db.forOrg(orgId, (tx) => tx.organization.findUniqueOrThrow({ where: { id: orgId } }));
      expect(provisioned.provisionedAt).not.toBeNull();

      // Completed: asking again must not start a second run.
      const { runId } = await handle.describe();
      await provisioner.provisionOrg(orgId);
      expect(await handle.describe()).toMatchObject({ runId, status: { name: 'COMPLETED' } });

      worker.child.kill('SIGTERM');
      expect(await worker.exited).toBe(0);
      expect(worker.output()).toContain('worker: stopped');
    } finally {
      worker.child.kill('SIGKILL');
    }
  });

  it('refuses a bad TEMPORAL_ADDRESS with a clear message and exit code 2', async () => {
    const worker = startWorker({ TEMPORAL_ADDRESS: 'http://localhost:7233', DATABASE_URL: appUrl });
    expect(await worker.exited).toBe(2);
    expect(worker.output()).toContain('TEMPORAL_ADDRESS: must be host:port without a scheme');
  });

  it('refuses to start without a DATABASE_URL', async () => {
    const worker = startWorker({ TEMPORAL_ADDRESS: temporal.address, DATABASE_URL: '' });
    expect(await worker.exited).toBe(2);
    expect(worker.output()).toContain('DATABASE_URL must be a postgresql:// URL');
  });
});
