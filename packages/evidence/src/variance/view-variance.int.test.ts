// variance.view's domain function on rollups in real PostgreSQL, read through the tenant-scoped
// client (RLS): the multipliers, their spread and correlations, and who sees whose points.
import { useTestDatabase } from '@parallax/db/test-database';
import type { Database } from '@parallax/db';
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { type VarianceScope, variancePersonLevel, viewVariance } from './view-variance.ts';

let db: Database;
const ORG = 'org_variance_a';
const OTHER = 'org_variance_b';
const H = 3_600_000;
// Period: the weeks of 16 and 23 March 2026. Everyone's single-agent weeks are 2 and 9 March,
// 2 PRs merged in each (baseline 2), except dev6 who always ran two at once (org baseline, 2).
const PERIOD_PRS: Record<string, [number, number]> = {
  dev1: [2, 2], // 1x
  dev2: [4, 4], // 2x
  dev3: [6, 6], // 3x
  dev4: [3, 3], // 1.5x
  dev5: [5, 5], // 2.5x
  dev6: [4, 5], // 2.25x, on the org baseline
};
const DEVS = Object.keys(PERIOD_PRS);

beforeAll(async () => {
  const database = await useTestDatabase();
  db = database.db;
  const owner = new pg.Client({ connectionString: database.ownerUrl });
  await owner.connect();
  for (const [id, slug] of [
    [ORG, 'variance-a'],
    [OTHER, 'variance-b'],
  ]) {
    await owner.query(`INSERT INTO "Organization" (id, slug, name) VALUES ($1, $2, $2)`, [id, slug]);
  }
  for (const [i, dev] of [...DEVS, 'auditor'].entries()) {
    await owner.query(`INSERT INTO "User" (id, email, name, "updatedAt") VALUES ($1, $2, $3, now())`, [
      dev,
      `${dev}@example.test`,
      `Person ${i + 1}`,
    ]);
    await owner.query(`INSERT INTO "Membership" (id, "orgId", "userId", role) VALUES ($1, $2, $3, $4)`, [
      `m_${dev}`,
      ORG,
      dev,
      dev === 'auditor' ? 'AUDITOR' : 'DEVELOPER',
    ]);
  }
  const evidence = async (org: string, dev: string, day: string, prs: number, finished: number, intervened: number) =>
    owner.query(
      `INSERT INTO "EvidenceDay" ("orgId", "developerId", "repositoryId", day, finished, succeeded, intervened, "prsMerged", "slaWithin", "slaBreached")
       VALUES ($1, $2, 'repo', $3, $4, $4, $5, $6, $4, 0)`,
      [org, dev, day, finished, intervened, prs],
    );
  const concurrency = async (org: string, dev: string, day: string, max: number, mean: number) =>
    owner.query(
      `INSERT INTO "ConcurrencyDay" ("orgId", "developerId", day, "maxConcurrency", "activeMs", "areaMs") VALUES ($1, $2, $3, $4, $5, $6)`,
      [org, dev, day, max, 4 * H, 4 * H * mean],
    );
  for (const dev of DEVS) {
    const [a, b] = PERIOD_PRS[dev]!;
    const multiplier = (a + b) / 4;
    for (const day of ['2026-03-03', '2026-03-10']) {
      await evidence(ORG, dev, day, 2, 2, 0);
      await concurrency(ORG, dev, day, dev === 'dev6' ? 2 : 1, dev === 'dev6' ? 1.5 : 1);
    }
    // More concurrency and fewer interventions go with a higher multiplier.
    await evidence(ORG, dev, '2026-03-17', a, 10, Math.round(10 - 2 * multiplier));
    await evidence(ORG, dev, '2026-03-24', b, 10, Math.round(10 - 2 * multiplier));
    await concurrency(ORG, dev, '2026-03-17', 4, multiplier);
  }
  // Another org's rollups for the same people: never part of this org's figures.
  await evidence(OTHER, 'dev1', '2026-03-17', 90, 90, 0);
  await concurrency(OTHER, 'dev1', '2026-03-03', 1, 1);
  await owner.end();
});

function scope(overrides: Partial<VarianceScope>): VarianceScope {
  return {
    orgId: ORG,
    from: '2026-03-16',
    to: '2026-03-29',
    developerIds: DEVS,
    minGroupSize: 5,
    seesIndividuals: false,
    viewerId: 'dev1',
    ...overrides,
  };
}

const view = (s: VarianceScope) => db.scoped({ orgId: s.orgId, userId: s.viewerId }, (tx) => viewVariance(tx, s));

describe('viewVariance', () => {
  it('shows a lead every person by name, the spread of multipliers and their rank correlations', async () => {
    const v = await view(scope({ seesIndividuals: true, viewerId: 'dev3' }));
    expect(v.personLevel).toBe('named');
    expect(v.weeks).toBe(2);
    expect(v.people.map((p) => [p.name, p.multiplier, p.isOrgBaseline])).toEqual([
      ['Person 1', 1, false],
      ['Person 2', 2, false],
      ['Person 3', 3, false],
      ['Person 4', 1.5, false],
      ['Person 5', 2.5, false],
      ['Person 6', 2.25, true],
    ]);
    expect(v.orgBaseline).toBe(2);
    expect(v.orgBaselineCount).toBe(1);
    // 1, 1.5, 2, 2.25, 2.5, 3: median 2.125, q1 1.625, q3 2.4375.
    expect(v.box).toMatchObject({ count: 6, median: 2.125, q1: 1.625, q3: 2.4375, whiskerLow: 1, whiskerHigh: 3, outlierCount: 0 });
    // Mean 12.25 / 6; population standard deviation over the mean.
    const values = [1, 1.5, 2, 2.25, 2.5, 3];
    const m = 12.25 / 6;
    expect(v.box.coefficientOfVariation).toBeCloseTo(Math.sqrt(values.reduce((a, x) => a + (x - m) ** 2, 0) / 6) / m, 12);
    const rho = Object.fromEntries(v.correlations!.map((c) => [c.factor, c.rho]));
    expect(rho.meanConcurrency).toBeCloseTo(1, 12);
    expect(rho.interventionRate).toBeLessThan(-0.9);
    expect(rho.prWithinSlaRate).toBeNull(); // every SLA window was met by everyone: no variation to rank
    expect(v.people.find((p) => p.isYou)?.name).toBe('Person 3');
  });

  it('shows a developer in a group of 4 (minimum 5) only the aggregates and their own figures', async () => {
    const s = scope({ developerIds: ['dev1', 'dev2', 'dev3', 'dev4'] });
    expect(variancePersonLevel(s)).toBe('none');
    const v = await view(s);
    expect(v.people).toEqual([]);
    expect(v.correlations).toBeNull();
    expect(v.box).toMatchObject({ count: 4, median: 1.75 });
    expect(v.you).toMatchObject({ isYou: true, multiplier: 1, baseline: 2 });
    const json = JSON.stringify(v);
    for (const other of ['dev2', 'dev3', 'dev4', 'Person 2', 'Person 3']) expect(json).not.toContain(other);
  });

  it('shows a developer in a large enough group anonymous points, their own marked', async () => {
    const v = await view(scope({ viewerId: 'dev4' }));
    expect(v.personLevel).toBe('anonymous');
    expect(v.people).toHaveLength(6);
    expect(v.people.filter((p) => p.isYou)).toHaveLength(1);
    expect(v.people.find((p) => p.isYou)?.multiplier).toBe(1.5);
    expect(v.people.map((p) => p.multiplier)).toEqual([1, 1.5, 2, 2.25, 2.5, 3]);
    expect(v.people.every((p) => p.name === null && p.key.startsWith('person-'))).toBe(true);
    expect(v.correlations).not.toBeNull();
    expect(JSON.stringify(v)).not.toMatch(/dev\d|Person \d/);
  });

  it('shows an auditor no names and figures of their own that are empty', async () => {
    const v = await view(scope({ viewerId: 'auditor' }));
    expect(v.personLevel).toBe('anonymous');
    expect(JSON.stringify(v)).not.toMatch(/dev\d|Person \d/);
    expect(v.you).toMatchObject({ isActive: false, multiplier: null });
    expect(v.people.some((p) => p.isYou)).toBe(false);
  });

  it('reads nothing of another org, even for the same people', async () => {
    const v = await view(scope({ orgId: OTHER, seesIndividuals: true, developerIds: ['dev1'] }));
    expect(v.people[0]).toMatchObject({ meanWeeklyThroughput: 45, baselineWeeks: 1, baseline: 0, multiplier: null });
    const own = await view(scope({ seesIndividuals: true }));
    expect(own.people[0]).toMatchObject({ meanWeeklyThroughput: 2, multiplier: 1 });
  });
});
