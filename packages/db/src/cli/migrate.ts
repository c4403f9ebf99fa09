// npm run db:migrate — applies pending migrations to DATABASE_URL.
import { applyMigrations } from '../migrate.ts';

const url = process.env.DATABASE_URL;
if (!url) {
  console.error('DATABASE_URL is not set. (npm start migrates the embedded database by itself.)');
  process.exit(2);
}
const applied = await applyMigrations(url);
console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
