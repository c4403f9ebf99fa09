// The SQL twin of parallelCriterion agrees with the pure function on random developer-days:
// days without activity, even and odd counts of active days (a median between two values),
// developers with no active day at all.
import { useTestDatabase } from '@parallax/db/test-database';
import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DeveloperDay, parallelCriterion } from './concurrency.ts';
import { medianBucket, parallelCriterionQuery } from './parallel-criterion-sql.ts';

let client: pg.Client;
beforeAll(async () => {
  const database = await useTestDatabase();
  client = new pg.Client({ connectionString: database.ownerUrl });
  await client.connect();
  await client.query('CREATE TEMP TABLE days (developer_id text NOT NULL, day date NOT NULL, max_concurrency int NOT NULL)');
});
afterAll(() => client?.end());

async function inSql(rows: DeveloperDay[]) {
  await client.query('TRUNCATE days');
  for (const r of rows) await client.query('INSERT INTO days VALUES ($1, $2, $3)', [r.developerId, r.day, r.maxConcurrency]);
  const { rows: out } = await client.query(parallelCriterionQuery('days'));
  return out.map((r) => ({
    developerId: r.developer_id as string,
    activeDays: r.active_days as number,
    medianDailyMax: r.median_daily_max as number | null,
    meets: r.meets as boolean,
    bucket: r.bucket as string | null,
    highest: r.highest_daily_max as number,
    parallelDays: r.parallel_days as number,
  }));
}

function expected(rows: DeveloperDay[]) {
  const developers = [...new Set(rows.map((r) => r.developerId))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return developers.map((developerId) => {
    const mine = rows.filter((r) => r.developerId === developerId);
    const c = parallelCriterion(mine);
    return {
      developerId,
      ...c,
      bucket: c.medianDailyMax === null ? null : medianBucket(c.medianDailyMax),
      highest: Math.max(0, ...mine.map((r) => r.maxConcurrency)),
      parallelDays: mine.filter((r) => r.maxConcurrency >= 3).length,
    };
  });
}

const day = (n: number) => new Date(Date.UTC(2026, 4, 1 + n)).toISOString().slice(0, 10);

describe('parallelCriterionQuery', () => {
  it('agrees with parallelCriterion and medianBucket for random developer-days', { timeout: 120_000 }, async () => {
    const history = fc.uniqueArray(
      fc.record({
        developerId: fc.constantFrom('ana', 'bo', 'cy', 'Dee'),
        n: fc.integer({ min: 0, max: 20 }),
        max: fc.integer({ min: 0, max: 8 }),
      }),
      { selector: (r) => `${r.developerId}/${r.n}`, maxLength: 40 },
    );
    await fc.assert(
      fc.asyncProperty(history, async (h) => {
        const rows: DeveloperDay[] = h.map((r) => ({
          developerId: r.developerId,
          day: day(r.n),
          maxConcurrency: r.max,
          meanConcurrency: r.max > 0 ? r.max : null,
          activeMs: r.max > 0 ? 1 : 0,
        }));
        expect(await inSql(rows)).toEqual(expected(rows));
      }),
      { numRuns: 100 },
    );
  });

  it('puts a median between 2 and 3 below the threshold and a median of 7 in 5+', async () => {
    const rows = (developerId: string, maxes: number[]): DeveloperDay[] =>
      maxes.map((m, i) => ({ developerId, day: day(i), maxConcurrency: m, meanConcurrency: null, activeMs: 0 }));
    // ana: active days 2, 3 (the 0 is not active) → median 2.5; bo: 7, 7, 1 → 7; cy: nothing active.
    expect(await inSql([...rows('ana', [2, 0, 3]), ...rows('bo', [7, 7, 1]), ...rows('cy', [0])])).toEqual([
      { developerId: 'ana', activeDays: 2, medianDailyMax: 2.5, meets: false, bucket: '2', highest: 3, parallelDays: 1 },
      { developerId: 'bo', activeDays: 3, medianDailyMax: 7, meets: true, bucket: '5+', highest: 7, parallelDays: 2 },
      { developerId: 'cy', activeDays: 0, medianDailyMax: null, meets: false, bucket: null, highest: 0, parallelDays: 0 },
    ]);
  });
});
