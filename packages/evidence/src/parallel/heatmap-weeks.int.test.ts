// The heatmap and the distribution of medians count a developer's days from the weekly rollup's
// running sums (whole weeks) and the daily one (the days at the period's ends), and read exact
// values from 5 up; the heatmap draws its cells from the daily rollup alone. For random
// histories and periods: each row's period max and active days and the scope's totals equal its
// own cells, and every median equals the one computed from the daily rollup's rows.
import { useTestDatabaseWithOwner, type DatabaseFixture } from '@parallax/db/test-database';
import { dayOf, parallelCriterionQuery, type SessionFacts } from '@parallax/metrics';
import fc from 'fast-check';
import type pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { rebuildEvidence } from '../rollups.ts';
import { BASE, crowdedHistoryArb, crowdedScopeArb, DAY, factsOf, historyArb, periodScopeArb } from '../testing/generated.ts';
import { insertHistory } from '../testing/history.ts';
import { evidenceRows } from '../rows.ts';
import type { EvidenceScope } from '../scope.ts';
import { getParallelDistribution } from './distribution.ts';
import { getConcurrencyHeatmap, HEATMAP_PAGE_MAX } from './heatmap.ts';
import type { ParallelScope } from './scope.ts';

let fx: DatabaseFixture;
let owner: pg.Client;
beforeAll(async () => {
  ({ owner, ...fx } = await useTestDatabaseWithOwner());
});

describe('the heatmap and the medians from whole weeks and end days', () => {
  it('gives each row the period max and active days of its own cells, and each developer the median of their days', {
    timeout: 240_000,
  }, async () => {
    let n = 0;
    let highMedians = 0;
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.tuple(historyArb, periodScopeArb), fc.tuple(crowdedHistoryArb, crowdedScopeArb)), async ([h, sc]) => {
        const orgId = `org-heat-${n++}`;
        const { facts, now } = factsOf(h, { batchesKeepDeveloper: true });
        await insertHistory(owner, { orgId, timeZone: h.zone, facts });
        await rebuildEvidence(fx.db, orgId, { now });
        const scope: ParallelScope = {
          orgId,
          timeZone: h.zone,
          from: dayOf(BASE + sc.startOffset, h.zone),
          to: dayOf(BASE + sc.startOffset + sc.length * DAY, h.zone),
          restrictTo: sc.team,
          groupSize: sc.team?.length ?? 3,
          minGroupSize: 1,
          seesIndividuals: true,
          viewerId: 'lead',
          now,
        };
        const map = await fx.db.forOrg(orgId, (tx) => getConcurrencyHeatmap(tx, scope, { offset: 0, limit: HEATMAP_PAGE_MAX }));
        for (const row of map.rows) {
          expect([row.periodMax, row.activeDays]).toEqual([Math.max(0, ...row.cells.map((c) => c.max)), row.cells.length]);
          for (const c of row.cells) expect(c.day >= scope.from && c.day <= scope.to && c.max > 0).toBe(true);
        }
        const cells = map.rows.flatMap((r) => r.cells);
        expect(map.totals).toEqual({
          developerDays: cells.length,
          parallelDays: cells.filter((c) => c.max >= 3).length,
          activeDevelopers: map.rows.filter((r) => r.cells.length > 0).length,
        });
        // And against the daily rollup read on its own.
        {
          const { rows: daily } = await owner.query<{
            developer_id: string;
            period_max: number;
            active_days: number;
            parallel_days: number;
          }>(
            `SELECT "developerId" AS developer_id, max("maxConcurrency")::int AS period_max, count(*)::int AS active_days,
                    count(*) FILTER (WHERE "maxConcurrency" >= 3)::int AS parallel_days
             FROM "ConcurrencyDay" WHERE "orgId" = $1 AND day BETWEEN $2::date AND $3::date AND "maxConcurrency" > 0
               AND ($4::text[] IS NULL OR "developerId" = ANY($4::text[]))
             GROUP BY 1 ORDER BY 1`,
            [orgId, scope.from, scope.to, sc.team],
          );
          const active = map.rows.filter((r) => r.activeDays > 0);
          expect(active.map((r) => [r.person.developerId, r.periodMax, r.activeDays]).sort()).toEqual(
            daily.map((d) => [d.developer_id, d.period_max, d.active_days]).sort(),
          );
          expect(map.totals.parallelDays).toBe(daily.reduce((s, d) => s + d.parallel_days, 0));
        }
        // Ranked as the page says: period max, then active days, both descending.
        const order = map.rows.map((r) => [r.periodMax, r.activeDays] as const);
        expect(order).toEqual([...order].sort((a, b) => b[0] - a[0] || b[1] - a[1]));
        // The medians, against the criterion's query over every developer-day of the daily rollup.
        {
          const distribution = await fx.db.forOrg(orgId, (tx) => getParallelDistribution(tx, scope));
          const { rows: daily } = await owner.query<{
            developer_id: string;
            active_days: number;
            median_daily_max: number;
            bucket: string;
            highest_daily_max: number;
            parallel_days: number;
          }>(
            `SELECT developer_id, active_days, median_daily_max, bucket, highest_daily_max, parallel_days FROM (${parallelCriterionQuery(`(SELECT "developerId" AS developer_id, "maxConcurrency" AS max_concurrency
               FROM "ConcurrencyDay" WHERE "orgId" = $1 AND day BETWEEN $2::date AND $3::date
                 AND ($4::text[] IS NULL OR "developerId" = ANY($4::text[])))`)}) p WHERE active_days > 0`,
            [orgId, scope.from, scope.to, sc.team],
          );
          expect(distribution.developers.map((d) => [d.person.developerId, d.activeDays, d.medianDailyMax, d.bucket]).sort()).toEqual(
            daily.map((d) => [d.developer_id, d.active_days, d.median_daily_max, d.bucket]).sort(),
          );
          expect(distribution.activeDevelopers).toBe(daily.length);
          highMedians += daily.filter((d) => d.median_daily_max > 5).length;
          // Criterion 3's rows on the Evidence page: the same medians, and each highest daily max.
          const evidenceScope: EvidenceScope = {
            ...scope,
            demo: false,
            previous: { from: scope.from, to: scope.to },
            days: sc.length + 1,
            teamId: null,
            teamName: null,
            repositoryId: null,
            repositoryName: null,
            seesAllSessions: true,
          };
          const listed = await fx.db.forOrg(orgId, (tx) => evidenceRows(tx, evidenceScope, 'parallel', { offset: 0, limit: 100 }));
          expect(listed.rows.map((r) => [r.activeDays, r.medianDailyMax, r.maxConcurrency, r.parallelDays]).sort()).toEqual(
            daily.map((d) => [d.active_days, d.median_daily_max, d.highest_daily_max, d.parallel_days]).sort(),
          );
          expect(listed.total).toBe(daily.length);
        }
      }),
      { numRuns: 80 },
    );
    // The exact path from 5 up was taken: some histories have a median above 5.
    expect(highMedians).toBeGreaterThan(0);
  });

  it('reads exact values wherever the upper middle day is 5 or more, and only there', async () => {
    // Daily maxima by developer, on days in whole weeks (2-15 March) and at the ends of the
    // period (1, 16 and 17 March): even and odd counts, the lower middle below 5 and the upper
    // at or above it, and one with days of 5 or more whose median needs none of them.
    const orgId = 'org-heat-exact';
    const days: Record<string, [string, number][]> = {
      ana: [
        ['2026-03-03', 4],
        ['2026-03-10', 7],
      ], // 4, 7: median 5.5
      bo: [
        ['2026-03-01', 1],
        ['2026-03-04', 4],
        ['2026-03-11', 6],
        ['2026-03-16', 8],
      ], // 1, 4, 6, 8: median 5
      cy: [
        ['2026-03-05', 4],
        ['2026-03-12', 4],
        ['2026-03-17', 6],
      ], // 4, 4, 6: median 4
      dee: [
        ['2026-03-06', 2],
        ['2026-03-13', 9],
        ['2026-03-14', 6],
      ], // 2, 6, 9: median 6
    };
    const facts: SessionFacts[] = Object.entries(days).flatMap(([developerId, list]) =>
      list.flatMap(([day, max]) =>
        Array.from({ length: max }, (_, k) => {
          const at = Date.parse(`${day}T09:00:00Z`) + k * 60_000;
          const id = `${developerId}-${day}-${k}`;
          return {
            sessionId: id,
            invocationId: id,
            developerId,
            repositoryId: 'repo-1',
            channel: 'WEB',
            status: 'SUCCEEDED',
            cancelledWhileQueued: false,
            dispatchedUnattended: false,
            taskType: 'STANDARD' as const,
            receivedAt: new Date(at),
            startedAt: new Date(at),
            endedAt: new Date(at + 3 * 3_600_000),
            slaMinutes: null,
            costUsd: null,
            interventionTimes: [],
            pr: null,
          };
        }),
      ),
    );
    const now = new Date('2026-03-20T00:00:00Z');
    await insertHistory(owner, { orgId, timeZone: 'UTC', facts });
    await rebuildEvidence(fx.db, orgId, { now });
    const scope: ParallelScope = {
      orgId,
      timeZone: 'UTC',
      from: '2026-03-01',
      to: '2026-03-17',
      restrictTo: null,
      groupSize: 4,
      minGroupSize: 1,
      seesIndividuals: true,
      viewerId: 'lead',
      now,
    };
    const distribution = await fx.db.forOrg(orgId, (tx) => getParallelDistribution(tx, scope));
    expect(
      Object.fromEntries(distribution.developers.map((d) => [d.person.developerId, [d.activeDays, d.medianDailyMax, d.bucket]])),
    ).toEqual({
      ana: [2, 5.5, '5+'],
      bo: [4, 5, '5+'],
      cy: [3, 4, '4'],
      dee: [3, 6, '5+'],
    });
    const map = await fx.db.forOrg(orgId, (tx) => getConcurrencyHeatmap(tx, scope));
    expect(Object.fromEntries(map.rows.map((r) => [r.person.developerId, r.periodMax]))).toEqual({ ana: 7, bo: 8, cy: 6, dee: 9 });
    // Criterion 3's rows: the highest daily max exact too, cy's (6) among days its median never needed.
    const listed = await fx.db.forOrg(orgId, (tx) =>
      evidenceRows(
        tx,
        {
          ...scope,
          demo: false,
          previous: scope,
          days: 17,
          teamId: null,
          teamName: null,
          repositoryId: null,
          repositoryName: null,
          seesAllSessions: true,
        },
        'parallel',
        { offset: 0, limit: 10 },
      ),
    );
    expect(listed.rows.map((r) => [r.activeDays, r.medianDailyMax, r.maxConcurrency])).toEqual([
      [3, 6, 9],
      [2, 5.5, 7],
      [4, 5, 8],
      [3, 4, 6],
    ]);
  });
});
