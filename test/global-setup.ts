// Starts the services integration tests need, once per run: a throwaway
// PostgreSQL cluster with a migrated template database, and the Temporal dev
// server through the SDK's test environment, pointed at the installed `temporal`.
import type { TestProject } from 'vitest/node';
import { startTestPostgres, prepareTemplate } from '@parallax/db/testing';
import { startTestTemporal } from './temporal.ts';

import type {} from '@parallax/db/test-database';

export default async function setup(project: TestProject) {
  const pgServer = await startTestPostgres();
  await prepareTemplate(pgServer.adminUrl);
  const temporal = await startTestTemporal();
  project.provide('pgAdminUrl', pgServer.adminUrl);
  project.provide('temporalAddress', temporal.address);
  return async () => {
    await temporal.stop();
    await pgServer.stop();
  };
}
