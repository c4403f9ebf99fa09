// Temporal for integration tests: the dev server started once per run by
// test/global-setup.ts, and a fresh namespace per test file. Test files run in
// parallel against one server; separate namespaces keep one file's worker from taking
// another file's tasks, while every file uses the real task queue (TASK_QUEUE).
import { randomUUID } from 'node:crypto';
import { msToTs } from '@temporalio/common/lib/time';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, IllegalStateError, Runtime } from '@temporalio/worker';
import { afterAll, inject } from 'vitest';
// Declares the inject() keys (ProvidedContext) that test/global-setup.ts provides.
import type {} from '@parallax/db/test-database';

export interface TemporalFixture {
  env: TestWorkflowEnvironment;
  address: string;
  namespace: string;
}

export async function useTestTemporal(): Promise<TemporalFixture> {
  quietRuntimeLogs();
  const address = inject('temporalAddress');
  const namespace = `parallax-test-${randomUUID().slice(0, 8)}`;
  const admin = await TestWorkflowEnvironment.createFromExistingServer({ address });
  try {
    await admin.connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('1 day') });
  } finally {
    await admin.teardown();
  }
  const env = await TestWorkflowEnvironment.createFromExistingServer({ address, namespace });
  afterAll(() => env.teardown());
  return { env, address, namespace };
}

// Worker lifecycle logs at INFO drown the test output; warnings and errors still show.
function quietRuntimeLogs() {
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch (err) {
    // Installed already by an earlier test file in this process.
    if (!(err instanceof IllegalStateError)) throw err;
  }
}
