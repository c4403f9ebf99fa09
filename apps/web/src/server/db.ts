import { createDatabase, type Database } from '@parallax/db';

// One pool per process. In development Next re-evaluates modules on every change;
// keeping the instance on globalThis stops each reload from opening a new pool.
const globalForDb = globalThis as unknown as { parallaxDb?: Database };

function openDatabase(): Database {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set: the web app needs a PostgreSQL database.');
  return createDatabase(url);
}

export function getDb(): Database {
  globalForDb.parallaxDb ??= openDatabase();
  return globalForDb.parallaxDb;
}
