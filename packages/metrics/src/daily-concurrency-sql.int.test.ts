// The SQL twin of dailyConcurrency agrees with the pure function on random histories:
// sessions spanning midnight, still running, never started, ending as another starts,
// zones with daylight-saving changes, empty periods, developers with no session.
import { useTestDatabase } from '@parallax/db/test-database';
import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dailyConcurrency, type SessionTimes } from './concurrency.ts';
import { dailyConcurrencyQuery } from './daily-concurrency-sql.ts';
import { dayOf } from './days.ts';

let client: pg.Client;
beforeAll(async () => {
  const database = await useTestDatabase();
  client = new pg.Client({ connectionString: database.ownerUrl });
  await client.connect();
  await client.query('CREATE TEMP TABLE generated (developer_id text NOT NULL, started_at timestamptz, ended_at timestamptz)');
});
afterAll(() => client?.end());

async function inSql(sessions: SessionTimes[], period: Parameters<typeof dailyConcurrency>[1], developers: string[]) {
  await client.query('TRUNCATE generated');
  for (const s of sessions) {
    await client.query('INSERT INTO generated VALUES ($1, $2, $3)', [s.developerId, s.startedAt, s.endedAt]);
  }
  const { text, values } = dailyConcurrencyQuery('generated', { ...period, developers });
  const { rows } = await client.query(text, values);
  return rows.map((r) => ({
    developerId: r.developer_id as string,
    day: r.day as string,
    maxConcurrency: r.max_concurrency as number,
    meanConcurrency: r.mean_concurrency as number | null,
    activeMs: r.active_ms as number,
  }));
}

// Four days around Europe's spring change of 2026 (a 23-hour day in Berlin), on an hour grid
// often enough that sessions end exactly as others start.
const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe'];
const HOUR = 3_600_000;
const BASE = Date.parse('2026-03-27T00:00:00Z');
const SPAN = 4 * 24 * HOUR;

const history = fc.record({
  zone: fc.constantFrom(...ZONES),
  nowOffset: fc.integer({ min: 0, max: SPAN + 24 * HOUR }),
  extraDevelopers: fc.array(fc.constantFrom('ivy', 'jon'), { maxLength: 2 }),
  sessions: fc.array(
    fc.record({
      developerId: fc.constantFrom('ana', 'bo', 'cy'),
      start: fc.oneof(
        fc.integer({ min: 0, max: SPAN }),
        fc.integer({ min: 0, max: SPAN / HOUR }).map((h) => h * HOUR),
      ),
      // Short, long (across midnight), and whole hours so that ends meet starts.
      length: fc.oneof(
        fc.integer({ min: 0, max: 30 * HOUR }),
        fc.integer({ min: 0, max: 6 }).map((h) => h * HOUR),
      ),
      state: fc.constantFrom('ended', 'ended', 'ended', 'running', 'never-started'),
    }),
    { minLength: 4, maxLength: 30 },
  ),
});

describe('dailyConcurrencyQuery', () => {
  it('agrees with dailyConcurrency on every figure, for random histories', { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(history, async (h) => {
        const now = new Date(BASE + h.nowOffset);
        const sessions: SessionTimes[] = h.sessions.map((s) => {
          const start = BASE + s.start;
          const end = start + s.length;
          return {
            developerId: s.developerId,
            startedAt: s.state === 'never-started' || start > now.getTime() ? null : new Date(start),
            endedAt: s.state === 'running' || end > now.getTime() ? null : new Date(end),
          };
        });
        const period = { from: dayOf(BASE, h.zone), to: dayOf(BASE + SPAN, h.zone), timeZone: h.zone, now };
        const expected = dailyConcurrency(sessions, period, h.extraDevelopers);
        const actual = await inSql(sessions, period, h.extraDevelopers);
        expect(actual.map(({ meanConcurrency, ...rest }) => rest)).toEqual(expected.map(({ meanConcurrency, ...rest }) => rest));
        actual.forEach((row, i) => {
          const want = expected[i]!.meanConcurrency;
          if (want === null) expect(row.meanConcurrency).toBeNull();
          else expect(row.meanConcurrency).toBeCloseTo(want, 9);
        });
      }),
      { numRuns: 100 },
    );
  });

  it('does not count back-to-back sessions as overlapping, and counts a 23-hour day as 23 hours', async () => {
    const rows = await inSql(
      [
        { developerId: 'ana', startedAt: new Date('2026-03-29T08:00:00Z'), endedAt: new Date('2026-03-29T09:00:00Z') },
        { developerId: 'ana', startedAt: new Date('2026-03-29T09:00:00Z'), endedAt: new Date('2026-03-29T10:00:00Z') },
        { developerId: 'bo', startedAt: new Date('2026-03-28T23:00:00Z'), endedAt: new Date('2026-03-29T22:00:00Z') },
      ],
      { from: '2026-03-29', to: '2026-03-29', timeZone: 'Europe/Berlin', now: new Date('2026-06-01T00:00:00Z') },
      [],
    );
    expect(rows).toEqual([
      { developerId: 'ana', day: '2026-03-29', maxConcurrency: 1, meanConcurrency: 1, activeMs: 2 * HOUR },
      { developerId: 'bo', day: '2026-03-29', maxConcurrency: 1, meanConcurrency: 1, activeMs: 23 * HOUR },
    ]);
  });

  it('lists developers without sessions and days without activity', async () => {
    const rows = await inSql([], { from: '2026-05-01', to: '2026-05-02', timeZone: 'UTC', now: new Date('2026-06-01T00:00:00Z') }, ['zed']);
    expect(rows).toEqual([
      { developerId: 'zed', day: '2026-05-01', maxConcurrency: 0, meanConcurrency: null, activeMs: 0 },
      { developerId: 'zed', day: '2026-05-02', maxConcurrency: 0, meanConcurrency: null, activeMs: 0 },
    ]);
  });
});
