// The five criteria read from the rollups in PostgreSQL agree with the pure definitions over the
// raw session facts, for random histories, random periods, the org, a team and a repository.
import { useTestDatabase, type DatabaseFixture } from '@parallax/db/test-database';
import { criteria, criteriaFromTotals, criteriaQuery, type CriteriaTotals, dayOf } from '@parallax/metrics';
import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rebuildEvidence } from './rollups.ts';
import { BASE, DAY, factsOf, historyArb, SPAN } from './testing/generated.ts';
import { insertHistory } from './testing/history.ts';

let fx: DatabaseFixture;
let owner: pg.Client;
beforeAll(async () => {
  fx = await useTestDatabase();
  owner = new pg.Client({ connectionString: fx.ownerUrl });
  await owner.connect();
});
afterAll(() => owner?.end());

const scopeArb = fc.record({
  startOffset: fc.integer({ min: -DAY, max: SPAN }),
  length: fc.integer({ min: 0, max: 9 }),
  team: fc.constantFrom<string[] | null>(null, ['ana'], ['bo', 'cy']),
  repository: fc.constantFrom<string | null>(null, 'repo-1'),
  slaTarget: fc.constantFrom(0.9, 0.5),
});

describe('criteria from the rollups', () => {
  it('equal the pure criteria over the raw facts', { timeout: 240_000 }, async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(historyArb, scopeArb, async (h, sc) => {
        const orgId = `org-criteria-${n++}`;
        const { facts, now } = factsOf(h, { batchesKeepDeveloper: true });
        await insertHistory(owner, { orgId, timeZone: h.zone, facts });
        await rebuildEvidence(fx.db, orgId, { now });
        const from = dayOf(BASE + sc.startOffset, h.zone);
        const to = dayOf(BASE + sc.startOffset + sc.length * DAY, h.zone);
        const group = sc.team ? facts.filter((f) => sc.team!.includes(f.developerId)) : facts;
        const want = criteria(group, { from, to, timeZone: h.zone, now, slaTarget: sc.slaTarget }, sc.repository);

        const q = criteriaQuery({
          orgId,
          from,
          to,
          developers: sc.team,
          repositoryId: sc.repository ? `${orgId}:${sc.repository}` : null,
          slaTarget: sc.slaTarget,
        });
        const { rows } = await owner.query<CriteriaTotals>(q.text, q.values);
        const got = criteriaFromTotals(rows[0]!, sc.slaTarget);
        const { cost: gotCost, pullRequests: gotPrs, ...gotRest } = got;
        const { cost: wantCost, pullRequests: wantPrs, ...wantRest } = want;
        expect(gotRest).toEqual(wantRest);
        expect({ ...gotPrs, meanReviewLatencyMs: null }).toEqual({ ...wantPrs, meanReviewLatencyMs: null });
        expect(gotPrs.meanReviewLatencyMs === null).toBe(wantPrs.meanReviewLatencyMs === null);
        if (wantPrs.meanReviewLatencyMs !== null) expect(gotPrs.meanReviewLatencyMs).toBeCloseTo(wantPrs.meanReviewLatencyMs, 3);
        expect({ ...gotCost, reportedUsd: 0, usdPerMergedPr: null }).toEqual({ ...wantCost, reportedUsd: 0, usdPerMergedPr: null });
        expect(gotCost.reportedUsd).toBeCloseTo(wantCost.reportedUsd, 6);
        expect(gotCost.usdPerMergedPr === null).toBe(wantCost.usdPerMergedPr === null);
      }),
      { numRuns: 80 },
    );
  });
});
