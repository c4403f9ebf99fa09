// Deterministic workflow code: activities are imported as a type only and reached
// through proxyActivities. Importing the database (or anything doing I/O) here is a bug.
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.ts';

export interface ProvisionOrgInput {
  orgId: string;
}

export interface ProvisionOrgResult {
  /** What this run created; empty when the org was already provisioned. */
  created: string[];
}

const { provisionOrgDefaults } = proxyActivities<Activities>({
  startToCloseTimeout: '30s',
  // The org's row may not be committed yet when the workflow starts, and the database
  // may be briefly away: keep retrying with backoff for a while, then fail visibly.
  scheduleToCloseTimeout: '10m',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m' },
});

/** Gives a new org its defaults (SLA policies, the `script` agent profile). */
export async function provisionOrg({ orgId }: ProvisionOrgInput): Promise<ProvisionOrgResult> {
  return await provisionOrgDefaults(orgId);
}
