import { beforeAll, describe, expect, it } from 'vitest';
import { type Provisioner, createProvisioner, provisionOrgWorkflowId } from './client.ts';
import { TASK_QUEUE } from './config.ts';
import { type TemporalFixture, useTestTemporal } from './test-temporal.ts';

// No worker polls this file's namespace: a started workflow stays RUNNING, which is
// how we see that the provisioner starts it and does not wait for it.
let temporal: TemporalFixture;
let provisioner: Provisioner;

beforeAll(async () => {
  temporal = await useTestTemporal();
  provisioner = createProvisioner(temporal.env.client);
});

describe('createProvisioner', () => {
  it('starts provisionOrg under the business id provision-org-<orgId> without waiting for it', async () => {
    await provisioner.provisionOrg('org-c-1');
    const run = await temporal.env.client.workflow.getHandle('provision-org-org-c-1').describe();
    expect(provisionOrgWorkflowId('org-c-1')).toBe('provision-org-org-c-1');
    expect(run).toMatchObject({ type: 'provisionOrg', taskQueue: TASK_QUEUE, status: { name: 'RUNNING' } });
  });

  it('neither fails nor starts another run when called again for the same org', async () => {
    await provisioner.provisionOrg('org-c-2');
    const handle = temporal.env.client.workflow.getHandle(provisionOrgWorkflowId('org-c-2'));
    const first = await handle.describe();
    await expect(provisioner.provisionOrg('org-c-2')).resolves.toBeUndefined();
    const second = await handle.describe();
    expect(second.runId).toBe(first.runId);
    expect(second.status.name).toBe('RUNNING');
  });

  it('passes the org id to the workflow', async () => {
    await provisioner.provisionOrg('org-c-3');
    const history = await temporal.env.client.workflow.getHandle(provisionOrgWorkflowId('org-c-3')).fetchHistory();
    const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
    const input = started?.input?.payloads?.[0]?.data;
    expect(input && JSON.parse(Buffer.from(input).toString('utf8'))).toEqual({ orgId: 'org-c-3' });
  });

  it('refuses an empty org id without starting anything', async () => {
    await expect(provisioner.provisionOrg('  ')).rejects.toThrow(/orgId is empty/);
    await expect(temporal.env.client.workflow.getHandle(provisionOrgWorkflowId('')).describe()).rejects.toThrow(/not found/i);
  });
});
