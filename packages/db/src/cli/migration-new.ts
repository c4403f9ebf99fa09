// npm run db:migration:new NAME — writes the next migration from the schema diff.
import { createMigration } from '../migrate.ts';

const name = process.argv[2];
if (!name) {
  console.error('usage: npm run db:migration:new NAME   (NAME in lower_snake_case)');
  process.exit(2);
}
const folder = await createMigration(name);
if (folder) {
  console.log(`wrote ${folder}/migration.sql`);
  console.log('If it adds a tenant table (one with orgId), add its ENABLE/FORCE ROW LEVEL SECURITY and policy by hand.');
} else {
  console.log('prisma/schema matches the last migration: nothing to write.');
}
