// npm run seed:demo -- --developers 40 --months 6 [--org-slug demo-history] [--seed 1]
//   [--end 2026-12-01] [--time-zone Europe/Berlin] [--owner-email you@example.com] [--replace]
//   [--method auto|copy|insert] [--no-baseline] [--no-rollups]
// Connects with DATABASE_URL, which must be an admin role (COPY into RLS tables needs it).
// Exit 2: a bad flag, or a refusal (a real org, an existing demo org without --replace).
import { RefusedError } from './org.ts';
import { parseHistoryArgs, UsageError } from './options.ts';
import { generateHistory } from './generate-history.ts';

const USAGE =
  'usage: npm run seed:demo -- --developers 40 --months 6 [--org-slug demo-history] [--seed 1] [--end YYYY-MM-DD] [--activity PERCENT] [--owner-email EMAIL] [--replace]';

async function main(): Promise<number> {
  try {
    const options = parseHistoryArgs(process.argv.slice(2));
    const databaseUrl = process.env.DATABASE_URL;
    if (!databaseUrl) throw new UsageError('DATABASE_URL is not set (an admin URL: the one migrations use)');
    await generateHistory({ ...options, databaseUrl, progress: process.stderr });
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`seed:demo: ${error.message}\n${USAGE}`);
      return 2;
    }
    if (error instanceof RefusedError) {
      console.error(`seed:demo: ${error.message}`);
      return 2;
    }
    console.error('seed:demo failed:', error);
    return 1;
  }
}

process.exitCode = await main();
