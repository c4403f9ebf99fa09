// Starts the services integration tests need, once per run: a throwaway
// PostgreSQL cluster with a migrated template database, and the Temporal dev
// server through the SDK's test environment, pointed at the installed `temporal`.
import type { TestProject } from 'vitest/node';
import { randomBytes } from 'node:crypto';
import { prepareTemplate, startTestPostgres, startThrowawayPostgres } from '@parallax/db/testing';
import { startTestTemporal } from './temporal.ts';

import type {} from '@parallax/db/test-database';

export default async function setup(project: TestProject) {
  const pgServer = await startTestPostgres();
  const template = await prepareTemplate(pgServer.adminUrl);
  // Sessions' own schemas and roles live on another server, as in production.
  const sessionServer = await startThrowawayPostgres(randomBytes(18).toString('base64url'));
  const temporal = await startTestTemporal();
  project.provide('pgAdminUrl', pgServer.adminUrl);
  project.provide('pgTemplate', template.name);
  project.provide('sessionDbAdminUrl', sessionServer.adminUrl);
  project.provide('temporalAddress', temporal.address);
  return async () => {
    await temporal.stop();
    await sessionServer.stop();
    await template.drop().catch(() => {});
    await pgServer.stop();
  };
}
