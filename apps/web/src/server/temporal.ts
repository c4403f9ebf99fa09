// Org provisioning and the agent fleet go through Temporal. The connection is opened
// on first use, not at boot, so the web app serves pages while Temporal is still
// starting (or is down); a failed connection is retried on the next call. When
// connecting takes too long the call fails fast: org creation then provisions the
// same defaults inline, and a dispatch records its invocation and says why it failed.
import type { FleetEngine, Provisioner } from '@parallax/api';
import type { Client } from '@temporalio/client';

const CONNECT_WAIT_MS = 3_000;

const globalForTemporal = globalThis as unknown as { parallaxTemporal?: Promise<Client> };

function connected(): Promise<Client> {
  if (!globalForTemporal.parallaxTemporal) {
    const attempt = import('@parallax/temporal/client').then(({ connectTemporal }) => connectTemporal());
    globalForTemporal.parallaxTemporal = attempt;
    attempt.catch(() => {
      if (globalForTemporal.parallaxTemporal === attempt) globalForTemporal.parallaxTemporal = undefined;
    });
  }
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Temporal did not answer within ${CONNECT_WAIT_MS / 1000} s`)), CONNECT_WAIT_MS);
  });
  return Promise.race([globalForTemporal.parallaxTemporal, timeout]).finally(() => clearTimeout(timer));
}

async function clients() {
  const [client, module] = await Promise.all([connected(), import('@parallax/temporal/client')]);
  return { provisioner: module.createProvisioner(client), fleet: module.createFleetEngine(client) };
}

export const provisioner: Provisioner = {
  async provisionOrg(orgId) {
    await (await clients()).provisioner.provisionOrg(orgId);
  },
};

export const fleet: FleetEngine = {
  startSession: async (args) => (await clients()).fleet.startSession(args),
  intervene: async (workflowId, args) => (await clients()).fleet.intervene(workflowId, args),
  cancel: async (workflowId, args) => (await clients()).fleet.cancel(workflowId, args),
  pullRequestChanged: async (workflowId) => (await clients()).fleet.pullRequestChanged(workflowId),
  createSchedule: async (args) => (await clients()).fleet.createSchedule(args),
  pauseSchedule: async (id, note) => (await clients()).fleet.pauseSchedule(id, note),
  unpauseSchedule: async (id, note) => (await clients()).fleet.unpauseSchedule(id, note),
  deleteSchedule: async (id) => (await clients()).fleet.deleteSchedule(id),
  describeSchedule: async (id) => (await clients()).fleet.describeSchedule(id),
};
