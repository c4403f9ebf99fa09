// Read by the stock Prisma CLI (`prisma generate`, and `prisma migrate` for users
// with internet). Parallax's own migration runner (packages/db) reads the same
// schema and migrations folder without the native engine.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema',
  migrations: { path: 'prisma/migrations', seed: 'tsx prisma/seed.ts' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost:5432/parallax' },
});
