// variance.view's domain function on rollups in real PostgreSQL, read through the tenant-scoped
// client (RLS): the multipliers, their spread and correlations, and who sees whose points.
import { useTestDatabase } from '@parallax/db/test-database';
import type { Database } from '@parallax/db';
import { rewriteDeveloperWeeks, rewriteOrgRollups } from '@parallax/metrics';
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { type EvidenceScopeInput, personLevel, resolveScope } from '../scope.ts';
import { viewVariance } from './view-variance.ts';

let db: Database;
let ownerUrl: string;
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
  ownerUrl = database.ownerUrl;
  const owner = new pg.Client({ connectionString: database.ownerUrl });
  await owner.connect();
  for (const [id, slug] of [
    [ORG, 'variance-a'],
    [OTHER, 'variance-b'],
  ]) {
    await owner.query(`INSERT INTO "Organization" (id, slug, name) VALUES ($1, $2, $2)`, [id, slug]);
  }
  const ROLES: Record<string, string> = { lead: 'LEAD', auditor: 'AUDITOR' };
  for (const [i, dev] of [...DEVS, 'lead', 'auditor'].entries()) {
    await owner.query(`INSERT INTO "User" (id, email, name, "updatedAt") VALUES ($1, $2, $3, now())`, [
      dev,
      `${dev}@example.test`,
      `Person ${i + 1}`,
    ]);
    await owner.query(`INSERT INTO "Membership" (id, "orgId", "userId", role) VALUES ($1, $2, $3, $4)`, [
      `m_${dev}`,
      ORG,
      dev,
      ROLES[dev] ?? 'DEVELOPER',
    ]);
  }
  await owner.query(`INSERT INTO "Membership" (id, "orgId", "userId", role) VALUES ('m_lead_b', $1, 'lead', 'LEAD')`, [OTHER]);
  // A team of four: below the minimum group size of 5.
  await owner.query(`INSERT INTO "Team" (id, "orgId", name, slug) VALUES ('team_small', $1, 'Small', 'small')`, [ORG]);
  for (const dev of ['dev1', 'dev2', 'dev3', 'dev4']) {
    await owner.query(`INSERT INTO "TeamMember" (id, "orgId", "teamId", "membershipId") VALUES ($1, $2, 'team_small', $3)`, [
      `tm_${dev}`,
      ORG,
      `m_${dev}`,
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
  // The weekly rollups summed from those days, by the product's own statements.
  for (const org of [ORG, OTHER]) {
    for (const s of [...rewriteDeveloperWeeks(org, null, null), ...rewriteOrgRollups(org, null)]) await owner.query(s.text, s.values);
  }
  await owner.end();
});

const ROLE_OF = { lead: 'LEAD', auditor: 'AUDITOR' } as const;

/** The page's scope resolved for real (resolveScope), then the view in the viewer's tenant transaction. */
async function view(viewerId: string, input: Partial<EvidenceScopeInput & { orgId: string }> = {}) {
  const role = ROLE_OF[viewerId as keyof typeof ROLE_OF] ?? 'DEVELOPER';
  const orgId = input.orgId ?? ORG;
  return db.scoped({ orgId, userId: viewerId }, async (tx) => {
    const scope = await resolveScope(tx, { userId: viewerId, role }, { orgId, from: '2026-03-16', to: '2026-03-29', ...input });
    return { scope, view: await viewVariance(tx, scope) };
  });
}

describe('viewVariance', () => {
  it('shows a lead every person by name, the spread of multipliers and their rank correlations', async () => {
    const { view: v } = await view('lead');
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
    expect(v.groupSize).toBe(6); // the people of the breakdown: not the lead and the auditor, who ran no agents
    expect(v.you).toMatchObject({ isActive: false, multiplier: null }); // the lead ran no agents
  });

  it('shows a developer in a group of 4 (minimum 5) only the aggregates and their own figures', async () => {
    const { scope, view: v } = await view('dev1', { teamId: 'team_small' });
    expect(personLevel(scope, 4)).toBe('none');
    expect(v.personLevel).toBe('none');
    expect(v.people).toEqual([]);
    expect(v.correlations).toBeNull();
    // Only the count: with four people the median, mean, quartiles and whiskers point at people.
    expect(v.box).toEqual({
      count: 4,
      median: null,
      mean: null,
      coefficientOfVariation: null,
      q1: null,
      q3: null,
      iqr: null,
      whiskerLow: null,
      whiskerHigh: null,
      outlierCount: 0,
    });
    expect(v.you).toMatchObject({ isYou: true, multiplier: 1, baseline: 2 });
    const json = JSON.stringify(v);
    for (const other of ['dev2', 'dev3', 'dev4', 'Person 2', 'Person 3']) expect(json).not.toContain(other);
  });

  it('counts the people a breakdown lists, not the members: six developers of eight members stay hidden at a minimum of seven', async () => {
    const owner = new pg.Client({ connectionString: ownerUrl });
    await owner.connect();
    await owner.query(`UPDATE "Organization" SET "minGroupSize" = 7 WHERE id = $1`, [ORG]);
    try {
      const { scope, view: v } = await view('dev4');
      expect(scope.groupSize).toBe(8);
      expect(v.personLevel).toBe('none');
      expect(v.groupSize).toBe(6);
      expect(v.people).toEqual([]);
      expect(v.box).toMatchObject({ count: 6, median: null, q1: null, whiskerLow: null, whiskerHigh: null });
      expect(v.you).toMatchObject({ isYou: true, multiplier: 1.5 });
      // A lead still sees everyone by name.
      const { view: lead } = await view('lead');
      expect(lead.personLevel).toBe('named');
      expect(lead.people).toHaveLength(6);
    } finally {
      await owner.query(`UPDATE "Organization" SET "minGroupSize" = 5 WHERE id = $1`, [ORG]);
      await owner.end();
    }
  });

  it('shows a developer in a large enough group anonymous points, their own marked', async () => {
    const { view: v } = await view('dev4');
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
    const { view: v } = await view('auditor');
    expect(v.personLevel).toBe('anonymous');
    expect(JSON.stringify(v)).not.toMatch(/dev\d|Person \d/);
    expect(v.you).toMatchObject({ isActive: false, multiplier: null });
    expect(v.people.some((p) => p.isYou)).toBe(false);
  });

  it('reads nothing of another org, even for the same people', async () => {
    const { view: v } = await view('lead', { orgId: OTHER });
    expect(v.people[0]).toMatchObject({ meanWeeklyThroughput: 45, baselineWeeks: 1, baseline: 0, multiplier: null });
    const { view: own } = await view('lead');
    expect(own.people[0]).toMatchObject({ meanWeeklyThroughput: 2, multiplier: 1 });
  });
});
