// Per-file database for integration tests (see testing.ts for the cluster).
import pg from 'pg';
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

/**
 * useTestDatabase, and a client connected as the database's owner (row security does not bind
 * it): for writing fixtures as they are and reading what RLS would hide. Closed afterwards.
 */
export async function useTestDatabaseWithOwner(): Promise<DatabaseFixture & { owner: pg.Client }> {
  const fx = await useTestDatabase();
  const owner = new pg.Client({ connectionString: fx.ownerUrl });
  await owner.connect();
  afterAll(() => owner.end());
  return { ...fx, owner };
}

/** The session database server of this run: another cluster than the product's, with a random superuser password. */
export function sessionDatabaseAdminUrl(): string {
  return inject('sessionDbAdminUrl');
}
