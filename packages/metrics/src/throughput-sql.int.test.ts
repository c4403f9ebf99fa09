// The SQL twin of developerThroughput agrees with the pure function on random rollups: weeks
// cut by the period's ends, single-agent and parallel weeks, days without activity, other orgs'
// rows, a repository filter, developers with no rows at all.
import { useTestDatabase } from '@parallax/db/test-database';
import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConcurrencyDayFigures, developerThroughput, type ThroughputDay, wholeWeeks } from './throughput.ts';
import { rewriteDeveloperWeeks } from './rollup-week-sql.ts';
import { developerThroughputQuery, readThroughputRows } from './throughput-sql.ts';

let client: pg.Client;
beforeAll(async () => {
  const database = await useTestDatabase();
  client = new pg.Client({ connectionString: database.ownerUrl });
  await client.connect();
  // The rollups' own columns, without their foreign keys, so random rows need no organizations.
  await client.query(`CREATE TEMP TABLE ev (LIKE "EvidenceDay" INCLUDING DEFAULTS)`);
  await client.query(`CREATE TEMP TABLE cc (LIKE "ConcurrencyDay" INCLUDING DEFAULTS)`);
  await client.query(`CREATE TEMP TABLE dw (LIKE "DeveloperWeek" INCLUDING DEFAULTS)`);
  await client.query(`CREATE TEMP TABLE ch (LIKE "ChannelDay" INCLUDING DEFAULTS)`);
});
afterAll(() => client?.end());

const DAY = 86_400_000;
const BASE = Date.parse('2026-02-23T00:00:00Z'); // a Monday; eight weeks span the spring DST changes
const dayAt = (i: number) => new Date(BASE + i * DAY).toISOString().slice(0, 10);

interface Generated extends ThroughputDay {
  orgId: string;
  repositoryId: string;
}

async function inSql(
  evidence: Generated[],
  concurrency: (ConcurrencyDayFigures & { orgId: string })[],
  params: Parameters<typeof developerThroughputQuery>[0],
) {
  await client.query('TRUNCATE ev, cc, dw');
  for (const e of evidence) {
    await client.query(
      `INSERT INTO ev ("orgId", "developerId", "repositoryId", day, finished, succeeded, intervened, "complexFinished",
        "slaWithin", "slaBreached", "slaMissed", "prsMerged") VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)`,
      [
        e.orgId,
        e.developerId,
        e.repositoryId,
        e.day,
        e.finished,
        e.succeeded,
        e.intervened,
        e.complexFinished,
        e.slaWithin,
        e.slaBreached,
        e.slaMissed,
        e.prsMerged,
      ],
    );
  }
  for (const c of concurrency) {
    await client.query(`INSERT INTO cc ("orgId", "developerId", day, "maxConcurrency", "activeMs", "areaMs") VALUES ($1,$2,$3,$4,$5,$6)`, [
      c.orgId,
      c.developerId,
      c.day,
      c.maxConcurrency,
      c.activeMs,
      c.areaMs,
    ]);
  }
  // The weekly rollup as the product writes it, from these days.
  for (const org of ['org', 'other']) {
    for (const s of rewriteDeveloperWeeks(org, null, null, 'dw', { evidence: 'ev', concurrency: 'cc', channels: 'ch' }))
      await client.query(s.text, s.values);
  }
  const { text, values } = developerThroughputQuery(params, { evidence: 'ev', concurrency: 'cc', developerWeeks: 'dw' });
  const { rows } = await client.query(text, values);
  return readThroughputRows(rows, wholeWeeks(params.from, params.to));
}

const count = fc.integer({ min: 0, max: 6 });
const history = fc.record({
  evidence: fc.uniqueArray(
    fc.record({
      orgId: fc.constantFrom('org', 'org', 'org', 'other'),
      developerId: fc.constantFrom('ana', 'bo', 'cy'),
      repositoryId: fc.constantFrom('r1', 'r2'),
      day: fc.integer({ min: 0, max: 55 }).map(dayAt),
      finished: count,
      succeeded: count,
      intervened: count,
      complexFinished: count,
      slaWithin: count,
      slaBreached: fc.integer({ min: 0, max: 2 }),
      slaMissed: fc.integer({ min: 0, max: 2 }),
      prsMerged: count,
    }),
    { selector: (e) => `${e.orgId}/${e.developerId}/${e.repositoryId}/${e.day}`, maxLength: 60 },
  ),
  concurrency: fc.uniqueArray(
    fc.record({
      orgId: fc.constantFrom('org', 'org', 'org', 'other'),
      developerId: fc.constantFrom('ana', 'bo', 'cy'),
      day: fc.integer({ min: 0, max: 55 }).map(dayAt),
      // Mostly one at a time, so single-agent weeks exist; a zero-activity day now and then.
      maxConcurrency: fc.constantFrom(0, 1, 1, 1, 2, 3),
      activeMs: fc.integer({ min: 1, max: 20 * 3_600_000 }),
      meanTenths: fc.integer({ min: 10, max: 30 }),
    }),
    { selector: (c) => `${c.orgId}/${c.developerId}/${c.day}`, maxLength: 60 },
  ),
  from: fc.integer({ min: 0, max: 40 }),
  length: fc.integer({ min: 0, max: 30 }),
  developers: fc.uniqueArray(fc.constantFrom('ana', 'bo', 'cy', 'zed'), { minLength: 1 }),
  repositoryId: fc.constantFrom(null, 'r1'),
});

describe('developerThroughputQuery', () => {
  it('agrees with developerThroughput on every figure, for random rollups', { timeout: 180_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(history, async (h) => {
        const concurrency = h.concurrency.map(({ meanTenths, ...c }) =>
          c.maxConcurrency === 0
            ? { ...c, activeMs: 0, areaMs: 0 }
            : { ...c, areaMs: (c.activeMs * Math.min(meanTenths, c.maxConcurrency * 10)) / 10 },
        );
        const params = {
          orgId: 'org',
          from: dayAt(h.from),
          to: dayAt(Math.min(h.from + h.length, 55)),
          developers: h.developers,
          repositoryId: h.repositoryId,
        };
        const expected = developerThroughput(
          h.evidence.filter((e) => e.orgId === 'org' && (h.repositoryId === null || e.repositoryId === h.repositoryId)),
          concurrency.filter((c) => c.orgId === 'org'),
          params,
        );
        const actual = await inSql(h.evidence, concurrency, params);
        expect(actual.weeks).toEqual(expected.weeks);
        expect(actual.orgBaselineWeeks).toBe(expected.orgBaselineWeeks);
        expectClose(actual.orgBaseline, expected.orgBaseline);
        expect(actual.developers.map((d) => d.developerId)).toEqual(expected.developers.map((d) => d.developerId));
        actual.developers.forEach((got, i) => {
          const want = expected.developers[i]!;
          expect({ isActive: got.isActive, isOrgBaseline: got.isOrgBaseline, baselineWeeks: got.baselineWeeks }).toEqual({
            isActive: want.isActive,
            isOrgBaseline: want.isOrgBaseline,
            baselineWeeks: want.baselineWeeks,
          });
          for (const key of [
            'meanWeeklyThroughput',
            'meanWeeklySucceeded',
            'baseline',
            'multiplier',
            'meanConcurrency',
            'interventionRate',
            'prWithinSlaRate',
            'complexShare',
          ] as const) {
            expectClose(got[key], want[key], `${want.developerId} ${key}`);
          }
        });
      }),
      { numRuns: 100 },
    );
  });

  it('lists every developer asked for, in order, even with no rollups at all', async () => {
    const result = await inSql([], [], { orgId: 'org', from: '2026-03-02', to: '2026-03-15', developers: ['zed', 'amy'] });
    expect(result.weeks).toEqual(['2026-03-02', '2026-03-09']);
    expect(result.orgBaseline).toBeNull();
    expect(result.developers.map((d) => [d.developerId, d.isActive, d.multiplier, d.meanWeeklyThroughput])).toEqual([
      ['zed', false, null, 0],
      ['amy', false, null, 0],
    ]);
  });
});

function expectClose(actual: number | null, expected: number | null, label?: string) {
  if (expected === null) expect(actual, label).toBeNull();
  else expect(actual, label).toBeCloseTo(expected, 9);
}
