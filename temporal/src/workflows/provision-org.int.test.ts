import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Database } from '@parallax/db';
import { useTestDatabase } from '@parallax/db/test-database';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { beforeAll, describe, expect, it } from 'vitest';
import { createWorker, workflowsPath } from '../create-worker.ts';
import { TASK_QUEUE } from '../config.ts';
import { type TemporalFixture, useTestTemporal } from '../test-temporal.ts';
import type { provisionOrg } from './index.ts';

let db: Database;
let temporal: TemporalFixture;
// Bundling the workflows takes seconds on two cores: once per file, shared by every worker.
let workflowBundle: WorkflowBundleWithSourceMap;

beforeAll(async () => {
  [{ db }, temporal, workflowBundle] = await Promise.all([
    useTestDatabase(),
    useTestTemporal(),
    bundleWorkflowCode({ workflowsPath, logger: quietLogger() }),
  ]);
});

function quietLogger() {
  const noop = () => {};
  return { trace: noop, debug: noop, info: noop, warn: console.warn, error: console.error, log: noop };
}

async function createOrg(id: string) {
  await db.forOrg(id, (tx) => tx.organization.create({ data: { id, slug: id, name: 'Acme' } }));
}

async function runProvisioning(orgId: string, workflowId: string) {
  const worker = await createWorker({
    connection: temporal.env.nativeConnection,
    namespace: temporal.namespace,
    db,
    fleet: { dataDir: mkdtempSync(path.join(os.tmpdir(), 'parallax-worker-')) },
    workflowBundle,
  });
  return worker.runUntil(
    temporal.env.client.workflow.execute<typeof provisionOrg>('provisionOrg', { taskQueue: TASK_QUEUE, workflowId, args: [{ orgId }] }),
  );
}

function defaultsOf(orgId: string) {
  return db.forOrg(orgId, async (tx) => ({
    sla: (await tx.slaPolicy.findMany({ orderBy: { taskType: 'asc' } })).map((p) => [p.taskType, p.minutes]),
    profiles: (await tx.agentProfile.findMany()).map((p) => [p.name, p.adapter]),
    provisioned: (await tx.organization.findUniqueOrThrow({ where: { id: orgId } })).provisionedAt !== null,
  }));
}

describe('provisionOrg workflow', () => {
  it("provisions a new org's SLA policies and script agent profile through a real worker", async () => {
    await createOrg('org-wf-1');
    const result = await runProvisioning('org-wf-1', 'test-provision-1');
    expect(result.created.sort()).toEqual(['agent-profile:script', 'sla:COMPLEX', 'sla:INVESTIGATION', 'sla:STANDARD']);
    expect(await defaultsOf('org-wf-1')).toEqual({
      sla: [
        ['STANDARD', 30],
        ['COMPLEX', 120],
        ['INVESTIGATION', 30],
      ],
      profiles: [['script', 'SCRIPT']],
      provisioned: true,
    });
  });

  it('creates nothing new when it runs again for the same org', async () => {
    await createOrg('org-wf-2');
    await runProvisioning('org-wf-2', 'test-provision-2a');
    const before = await defaultsOf('org-wf-2');
    const again = await runProvisioning('org-wf-2', 'test-provision-2b');
    expect(again.created).toEqual([]);
    expect(await defaultsOf('org-wf-2')).toEqual(before);
  });

  it("touches no other org's rows", async () => {
    await createOrg('org-wf-3');
    await createOrg('org-wf-4');
    await runProvisioning('org-wf-3', 'test-provision-3');
    expect(await defaultsOf('org-wf-4')).toEqual({ sla: [], profiles: [], provisioned: false });
  });
});
