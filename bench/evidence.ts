// `npm run bench:evidence [-- --sizes 100000,1000000 --runs 20]`: the evidence pages' queries on
// real PostgreSQL over a generated history (packages/demo), for one org and one year, beside a
// plain scan of the same rollup rows in the same run; how long a finished session takes to reach
// the rollups; the generator's rows per second against a bare COPY; peak memory. See bench/README.md.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createDatabase, type Database } from '@parallax/db';
import { generateHistory } from '@parallax/demo';
import { CRITERIA, evidenceRows, evidenceSummary, maturityReport, resolveScope, viewVariance } from '@parallax/evidence';
import { getConcurrencyHeatmap, getParallelDistribution } from '@parallax/evidence/parallel';
import { endSession } from '@parallax/fleet';
import { dayOf } from '@parallax/metrics';
import pg from 'pg';
import { createBenchDatabase } from './harness/postgres.ts';
import { installSignalHandlers, teardown } from './harness/teardown.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const USAGE = `npm run bench:evidence -- [options]

  --sizes N,N         history sizes in sessions (100000,1000000); 500 developers over 2 years at 1M,
                      the same 2 years with proportionally fewer developers below it
  --runs N            timed runs of each page's queries (20)
  --json FILE         write the result as JSON (bench/results/evidence.json)`;

const { values } = parseArgs({
  options: { sizes: { type: 'string' }, runs: { type: 'string' }, json: { type: 'string' }, help: { type: 'boolean' } },
  strict: true,
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const sizes = (values.sizes ?? '100000,1000000').split(',').map(Number);
const runs = Number(values.runs ?? 20);
if (sizes.some((n) => !Number.isInteger(n) || n < 1000) || !Number.isInteger(runs) || runs < 1) {
  console.error(`--sizes takes whole numbers of sessions (at least 1000), --runs a whole number\n\n${USAGE}`);
  process.exit(2);
}

installSignalHandlers();
const SESSIONS_PER_DEVELOPER_MONTH = 1_000_000 / (500 * 24);

interface Timing {
  p50: number;
  p95: number;
}
const time = async (n: number, work: () => Promise<unknown>): Promise<Timing> => {
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await work();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  const at = (q: number) => ms[Math.min(ms.length - 1, Math.ceil(q * ms.length) - 1)]!;
  return { p50: round(at(0.5)), p95: round(at(0.95)) };
};
const round = (v: number) => Math.round(v * 10) / 10;

async function pages(db: Database, orgId: string, ownerId: string, now: Date) {
  const to = dayOf(now, 'UTC');
  const from = dayOf(now.getTime() - 364 * 86_400_000, 'UTC');
  const scoped = <T>(work: (tx: Parameters<Parameters<Database['forOrg']>[1]>[0]) => Promise<T>) =>
    db.scoped({ orgId, userId: ownerId }, async (tx) => work(tx));
  const scopeOf = (tx: Parameters<Parameters<Database['forOrg']>[1]>[0]) =>
    resolveScope(tx, { userId: ownerId, role: 'OWNER' }, { orgId, from, to }, now);
  return {
    evidence: () => scoped(async (tx) => evidenceSummary(tx, await scopeOf(tx))),
    parallel: () =>
      scoped(async (tx) => {
        const scope = await scopeOf(tx);
        await getConcurrencyHeatmap(tx, scope);
        await getParallelDistribution(tx, scope);
      }),
    variance: () => scoped(async (tx) => viewVariance(tx, await scopeOf(tx))),
    report: () => scoped(async (tx) => maturityReport(tx, await scopeOf(tx))),
    // The first page (50, as the panel asks) of the rows behind each tile, filtered and counted in SQL.
    rows: () =>
      scoped(async (tx) => {
        const scope = await scopeOf(tx);
        for (const criterion of CRITERIA) await evidenceRows(tx, scope, criterion, { offset: 0, limit: 50 });
      }),
    // The floor: one plain scan of the same rollup rows, summing a column of each table.
    floor: () =>
      scoped((tx) =>
        tx.$queryRawUnsafe(
          `SELECT (SELECT sum(finished) FROM "EvidenceDay" WHERE "orgId" = $1 AND day BETWEEN $2::date AND $3::date),
                  (SELECT sum("maxConcurrency") FROM "ConcurrencyDay" WHERE "orgId" = $1 AND day BETWEEN $2::date AND $3::date),
                  (SELECT sum(invocations) FROM "ChannelDay" WHERE "orgId" = $1 AND day BETWEEN $2::date AND $3::date)`,
          orgId,
          from,
          to,
        ),
      ),
  };
}

/**
 * A finished session reaches the rollups inside the transaction that ends it. Timed on the
 * product's own endSession: the latest sessions of the history are put back to running (as they
 * were before they ended) and ended again, each rewriting its developer's rollup rows.
 */
async function timeToRollups(db: Database, ownerUrl: string, orgId: string, n: number): Promise<Timing & { sessions: number }> {
  const owner = new pg.Client({ connectionString: ownerUrl });
  await owner.connect();
  const { rows } = await owner.query<{ id: string }>(
    `UPDATE "AgentSession" SET status = 'RUNNING', "endedAt" = NULL
     WHERE id IN (SELECT id FROM "AgentSession" WHERE "orgId" = $1 AND status = 'SUCCEEDED' ORDER BY "endedAt" DESC LIMIT $2)
     RETURNING id`,
    [orgId, n],
  );
  await owner.query(`DELETE FROM "SessionEvent" WHERE "sessionId" = ANY($1) AND "dedupeKey" = 'ended'`, [rows.map((r) => r.id)]);
  await owner.end();
  const ids = rows.map((r) => r.id);
  let i = 0;
  const timing = await time(ids.length, () => endSession(db, { orgId, sessionId: ids[i++]! }, { status: 'SUCCEEDED' }));
  return { ...timing, sessions: ids.length };
}

const results: Record<string, unknown>[] = [];
try {
  for (const sessions of sizes) {
    const developers = Math.max(5, Math.round(sessions / (SESSIONS_PER_DEVELOPER_MONTH * 24)));
    const database = await createBenchDatabase();
    console.log(`\n== ${sessions.toLocaleString('en')} sessions: ${developers} developers over 24 months (database ${database.name})`);
    const generated = await generateHistory({
      databaseUrl: database.ownerUrl,
      developers,
      months: 24,
      seed: 1,
      measureBaseline: true,
      progress: process.stderr,
    });
    const db = createDatabase(database.appUrl, { maxConnections: 4 });
    const owner = new pg.Client({ connectionString: database.ownerUrl });
    await owner.connect();
    // The pages are read as an owner would (names and all); any member's id carries the scope.
    const { rows } = await owner.query<{ userId: string; events: string }>(
      `SELECT m."userId", (SELECT count(*) FROM "SessionEvent" WHERE "orgId" = $1)::text AS events
       FROM "Membership" m WHERE m."orgId" = $1 ORDER BY m.role LIMIT 1`,
      [generated.orgId],
    );
    await owner.end();
    const now = new Date();
    const page = await pages(db, generated.orgId, rows[0]!.userId, now);
    for (const work of Object.values(page)) await work(); // warm the caches and the client
    const timings: Record<string, Timing> = {};
    for (const [name, work] of Object.entries(page)) timings[name] = await time(runs, work);
    const reach = await timeToRollups(db, database.ownerUrl, generated.orgId, Math.min(runs, 20));
    await db.disconnect();
    results.push({
      sessions: generated.sessions,
      developers,
      events: Number(rows[0]!.events),
      generator: {
        seconds: round(generated.seconds),
        rowsPerSecond: Math.round(generated.rowsPerSecond),
        bareCopyRowsPerSecond: generated.bareCopy ? Math.round(generated.bareCopy.rowsPerSecond) : null,
        rollupSeconds: generated.rollupSeconds === null ? null : round(generated.rollupSeconds),
        peakRssMb: Math.round(generated.peakRssMb),
      },
      pages: timings,
      finishedSessionToRollups: reach,
      benchPeakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    });
    const floor = timings.floor!.p50;
    console.log(
      `events ${Number(rows[0]!.events).toLocaleString('en')}; generator ${Math.round(generated.rowsPerSecond)} rows/s (bare COPY ${generated.bareCopy ? Math.round(generated.bareCopy.rowsPerSecond) : '—'} rows/s), rollups rebuilt in ${generated.rollupSeconds?.toFixed(1)} s, peak RSS ${generated.peakRssMb} MB`,
    );
    console.log('page        p50 ms   p95 ms   × floor p50   under 200 ms p95');
    for (const [name, t] of Object.entries(timings)) {
      console.log(
        `${name.padEnd(10)} ${String(t.p50).padStart(8)} ${String(t.p95).padStart(8)} ${(t.p50 / floor).toFixed(1).padStart(12)}   ${name === 'floor' ? '' : t.p95 < 200 ? 'yes' : 'NO'}`,
      );
    }
    console.log(
      `a finished session in the rollups: p50 ${reach.p50} ms, p95 ${reach.p95} ms (endSession, ${reach.sessions} sessions; the rollup rows are written in its transaction)`,
    );
  }
  if (results.length >= 2) {
    const small = results[0]!.pages as Record<string, Timing>;
    const large = results[results.length - 1]!.pages as Record<string, Timing>;
    console.log(`\nscaling ${sizes[0]} → ${sizes[sizes.length - 1]} sessions (target: at most 1.5× for the pages):`);
    for (const name of Object.keys(large)) console.log(`  ${name.padEnd(10)} p95 × ${(large[name]!.p95 / small[name]!.p95).toFixed(2)}`);
  }
  const out = values.json ?? path.join(root, 'bench', 'results', 'evidence.json');
  writeFileSync(out, `${JSON.stringify({ at: new Date().toISOString(), runs, results }, null, 2)}\n`);
  console.log(`\nresult: ${path.relative(root, out)}`);
} finally {
  await teardown();
}
