// Per-file database for integration tests (see testing.ts for the cluster).
import { inject, afterAll } from 'vitest';
import { createDatabase, type Database } from './client.ts';
import { createTestDatabase, type TestDatabase } from './testing.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A superuser URL of the test cluster (test/global-setup.ts). */
    pgAdminUrl: string;
    /** This run's migrated template database on that cluster. */
    pgTemplate: string;
    /** The Temporal dev server started for this run. */
    temporalAddress: string;
    /** A superuser URL of a second cluster, for session schemas (never the product's server). */
    sessionDbAdminUrl: string;
  }
}

export interface DatabaseFixture extends TestDatabase {
  /** Tenant-scoped client connected as the non-superuser app login. */
  db: Database;
}

/** Creates a fresh migrated database for this test file and drops it afterwards. */
export async function useTestDatabase(): Promise<DatabaseFixture> {
  const test = await createTestDatabase(inject('pgAdminUrl'), inject('pgTemplate'));
  const db = createDatabase(test.appUrl, { maxConnections: 4 });
  afterAll(async () => {
    await db.disconnect();
    await test.drop();
  });
  return { ...test, db };
}

/** The session database server of this run: another cluster than the product's, with a random superuser password. */
export function sessionDatabaseAdminUrl(): string {
  return inject('sessionDbAdminUrl');
}
