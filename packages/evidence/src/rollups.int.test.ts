// The rollups in PostgreSQL agree with the pure definitions in @parallax/metrics on random
// histories (sessions across midnight and a daylight-saving change, running, cancelled while
// queued, SLA windows still open, reviews outside the PR's life, batches of one invocation), and a
// session's own refresh leaves the same rows as a rebuild.
import { useTestDatabaseWithOwner, type DatabaseFixture } from '@parallax/db/test-database';
import { channelDays, dailyConcurrency, dayOf, evidenceDays, type SessionFacts } from '@parallax/metrics';
import fc from 'fast-check';
import type pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { rebuildEvidence, refreshByClock, refreshSessionEvidence } from './rollups.ts';
import { BASE, factsOf, type Generated, HOUR, historyArb, MIN, SPAN } from './testing/generated.ts';
import { insertHistory, readRollups, readWeeks, scoped } from './testing/history.ts';

let fx: DatabaseFixture;
let owner: pg.Client;
beforeAll(async () => {
  ({ owner, ...fx } = await useTestDatabaseWithOwner());
});

function expected(facts: SessionFacts[], zone: string, now: Date) {
  const evidence = evidenceDays(facts, zone, now);
  const days = facts.flatMap((f) => [f.receivedAt, f.startedAt, f.endedAt, f.pr?.openedAt, f.pr?.mergedAt]).filter((d): d is Date => !!d);
  const from = dayOf(Math.min(...days.map(Number), now.getTime()), zone);
  const to = dayOf(now, zone);
  const concurrency = dailyConcurrency(facts, { from, to, timeZone: zone, now })
    .filter((d) => d.maxConcurrency > 0)
    .map((d) => ({
      developerId: d.developerId,
      day: d.day,
      maxConcurrency: d.maxConcurrency,
      activeMs: d.activeMs,
      areaMs: (d.meanConcurrency ?? 0) * d.activeMs,
    }));
  return { evidence, channels: channelDays(facts, zone), concurrency };
}

function expectSame(actual: Awaited<ReturnType<typeof readRollups>>, want: ReturnType<typeof expected>) {
  const fuzzy = ['costUsd', 'timeToPrMsSum', 'reviewLatencyMsSum', 'areaMs'] as const;
  const strip = <T extends object>(rows: T[]) =>
    rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !fuzzy.includes(k as never))));
  expect(strip(actual.evidence)).toEqual(strip(want.evidence));
  expect(actual.channels).toEqual(want.channels);
  expect(strip(actual.concurrency)).toEqual(strip(want.concurrency));
  actual.evidence.forEach((row, i) => {
    for (const k of ['costUsd', 'timeToPrMsSum', 'reviewLatencyMsSum'] as const) expect(row[k]).toBeCloseTo(want.evidence[i]![k], 6);
  });
  actual.concurrency.forEach((row, i) => {
    expect(Math.abs(row.areaMs - want.concurrency[i]!.areaMs)).toBeLessThanOrEqual(1);
  });
}

/** The weekly tables hold exactly the daily rows summed by week (EvidenceWeek, ChannelWeek, DeveloperWeek). */
async function expectWeeksSumDays(orgId: string) {
  const { got, want } = await readWeeks(owner, orgId);
  expect(got).toEqual(want);
}

/**
 * A history fast-check once found: two costs that sum to 0.0335, which PostgreSQL's sum and the
 * test's running total rounded apart (0.034 and 0.033). Always run, before the random ones.
 */
const costsAtARoundingEdge: Generated = {
  zone: 'UTC',
  nowOffset: 86_400_000,
  sessions: [0, 86_400_000].map((received, i) => ({
    developerId: 'ana' as const,
    repositoryId: 'repo-1' as const,
    channel: 'WEB' as const,
    batchWithPrevious: false,
    status: 'SUCCEEDED' as const,
    cancelledWhileQueued: false,
    byRequester: false,
    dispatchedUnattended: false,
    taskType: 'STANDARD' as const,
    received,
    queued: 0,
    length: 0,
    slaMinutes: 30 as const,
    cost: [0.002146262934256033, 0.031353737065743965][i]!,
    interventions: [],
    pr: null,
  })),
};

/** One of ana's sessions, received and started at `at`, succeeded an hour later; with a PR merged at `mergedAt`. */
function anaSession(id: string, at: string, mergedAt?: string): SessionFacts {
  const start = Date.parse(at);
  return {
    sessionId: id,
    invocationId: `inv-${id}`,
    developerId: 'ana',
    repositoryId: 'repo-1',
    channel: 'WEB',
    status: 'SUCCEEDED',
    cancelledWhileQueued: false,
    dispatchedUnattended: false,
    taskType: 'STANDARD',
    receivedAt: new Date(start),
    startedAt: new Date(start),
    endedAt: new Date(start + HOUR),
    slaMinutes: null,
    costUsd: null,
    interventionTimes: [],
    pr: mergedAt ? { openedAt: new Date(start + 30 * MIN), mergedAt: new Date(mergedAt), firstReviewAt: null } : null,
  };
}

describe('evidence rollups', () => {
  it('a rebuild computes what the pure definitions compute, for random histories', { timeout: 240_000 }, async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(historyArb, async (h) => {
        const orgId = `org-prop-${n++}`;
        const { facts, now } = factsOf(h);
        await insertHistory(owner, { orgId, timeZone: h.zone, facts });
        await rebuildEvidence(fx.db, orgId, { now });
        expectSame(await readRollups(owner, orgId), expected(facts, h.zone, now));
        await expectWeeksSumDays(orgId);
      }),
      { numRuns: 60, examples: [[costsAtARoundingEdge]] },
    );
  });

  it("each session's own refresh, in the order sessions change, leaves what a rebuild leaves", { timeout: 240_000 }, async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(historyArb, async (h) => {
        const orgId = `org-refresh-${n++}`;
        const { facts, now } = factsOf(h);
        await insertHistory(owner, { orgId, timeZone: h.zone, facts });
        for (const f of facts)
          await fx.db.forOrg(orgId, (tx) => refreshSessionEvidence(tx, { orgId, sessionId: scoped(orgId, f.sessionId) }, now));
        expectSame(await readRollups(owner, orgId), expected(facts, h.zone, now));
        await expectWeeksSumDays(orgId);
      }),
      { numRuns: 40 },
    );
  });

  it("repairs a developer's running sums in weeks before the one a refresh rewrites", async () => {
    // A process from before a running-sum column was added (a rollout) writes a week without it;
    // the developer's next refresh, of a later week, puts it right.
    const orgId = 'org-running-sums';
    const facts = [anaSession('ses-1', '2026-05-05T09:00:00Z'), anaSession('ses-2', '2026-05-13T09:00:00Z')];
    const now = new Date('2026-05-14T00:00:00Z');
    await insertHistory(owner, { orgId, timeZone: 'UTC', facts });
    await rebuildEvidence(fx.db, orgId, { now });
    await owner.query(
      `UPDATE "DeveloperWeek" SET "cumFinished" = 0, "cumActiveMs" = 0, "cumSingleWeeks" = 0 WHERE "orgId" = $1 AND week = '2026-05-04'`,
      [orgId],
    );
    expect((await readWeeks(owner, orgId)).got.developer[0]).toMatchObject({ week: '2026-05-04', cumFinished: 0 });
    await fx.db.forOrg(orgId, (tx) => refreshSessionEvidence(tx, { orgId, sessionId: scoped(orgId, 'ses-2') }, now));
    const { got, want } = await readWeeks(owner, orgId);
    expect(got.developer.map((w) => [w.week, w.cumFinished, w.cumSingleWeeks])).toEqual([
      ['2026-05-04', 1, 1],
      ['2026-05-11', 2, 2],
    ]);
    expect(got).toEqual(want);
  });

  it("a session's refresh counts another's PR merged on its days, however long ago that one ended", async () => {
    // A refresh reads only the sessions that can count on its days: running, ended since the
    // day before the first, or with a PR opened or merged since. Y ended three weeks before its
    // PR merged; X's refresh rewrites that day and must still count Y's merge.
    const orgId = 'org-late-merge';
    const facts = [
      anaSession('ses-y', '2026-04-01T09:00:00Z', '2026-04-22T15:00:00Z'),
      anaSession('ses-x', '2026-04-15T09:00:00Z', '2026-04-22T16:00:00Z'),
    ];
    const now = new Date('2026-04-23T00:00:00Z');
    await insertHistory(owner, { orgId, timeZone: 'UTC', facts });
    await fx.db.forOrg(orgId, (tx) => refreshSessionEvidence(tx, { orgId, sessionId: scoped(orgId, 'ses-x') }, now));
    const merged = (await readRollups(owner, orgId)).evidence.filter((r) => r.day === '2026-04-22');
    expect(merged.map((r) => r.prsMerged)).toEqual([2]);
  });

  it('rewrites a row whose SLA window has closed by the clock since it was written', async () => {
    const orgId = 'org-window';
    const receivedAt = new Date('2026-05-04T09:00:00Z');
    const facts: SessionFacts[] = [
      {
        sessionId: 'ses-w',
        invocationId: 'inv-w',
        developerId: 'ana',
        repositoryId: 'repo-1',
        channel: 'WEB',
        status: 'FAILED',
        cancelledWhileQueued: false,
        dispatchedUnattended: false,
        taskType: 'STANDARD',
        receivedAt,
        startedAt: new Date('2026-05-04T09:01:00Z'),
        endedAt: new Date('2026-05-04T09:10:00Z'),
        slaMinutes: 30,
        costUsd: null,
        interventionTimes: [],
        pr: null,
      },
    ];
    await insertHistory(owner, { orgId, timeZone: 'UTC', facts });
    await fx.db.forOrg(orgId, (tx) =>
      refreshSessionEvidence(tx, { orgId, sessionId: scoped(orgId, 'ses-w') }, new Date('2026-05-04T09:10:00Z')),
    );
    let row = (await readRollups(owner, orgId)).evidence[0]!;
    expect([row.slaOpen, row.slaMissed, row.slaOpenUntil?.toISOString()]).toEqual([1, 0, '2026-05-04T09:30:00.000Z']);

    expect(await fx.db.forOrg(orgId, (tx) => refreshByClock(tx, orgId, new Date('2026-05-04T09:29:59Z')))).toBe(0);
    expect(await fx.db.forOrg(orgId, (tx) => refreshByClock(tx, orgId, new Date('2026-05-04T09:30:00Z')))).toBe(1);
    row = (await readRollups(owner, orgId)).evidence[0]!;
    expect([row.slaOpen, row.slaMissed, row.slaOpenUntil]).toEqual([0, 1, null]);
    const weeks = await readWeeks(owner, orgId);
    expect(weeks.got.org.map((w) => [w.week, w.slaOpen, w.slaMissed])).toEqual([['2026-05-04', 0, 1]]);
    expect(weeks.got).toEqual(weeks.want);
  });

  it('gives a day begun under a still-running session its row, in the org’s zone, once', async () => {
    const orgId = 'org-midnight';
    const zone = 'Europe/Berlin';
    // Started 23:30 Berlin on 4 May (21:30 UTC), still running; a second one from 23:45.
    const running = (id: string, startedAt: string): SessionFacts => ({
      sessionId: id,
      invocationId: `inv-${id}`,
      developerId: 'ana',
      repositoryId: 'repo-1',
      channel: 'WEB',
      status: 'RUNNING',
      cancelledWhileQueued: false,
      dispatchedUnattended: false,
      taskType: 'STANDARD',
      receivedAt: new Date(startedAt),
      startedAt: new Date(startedAt),
      endedAt: null,
      slaMinutes: 30,
      costUsd: null,
      interventionTimes: [],
      pr: null,
    });
    const facts = [running('ses-a', '2026-05-04T21:30:00Z'), running('ses-b', '2026-05-04T21:45:00Z')];
    await insertHistory(owner, { orgId, timeZone: zone, facts });
    const lastEvent = new Date('2026-05-04T21:50:00Z');
    for (const id of ['ses-a', 'ses-b'])
      await fx.db.forOrg(orgId, (tx) => refreshSessionEvidence(tx, { orgId, sessionId: scoped(orgId, id) }, lastEvent));
    const concurrencyDays = async () => (await readRollups(owner, orgId)).concurrency.map((d) => [d.day, d.maxConcurrency]);
    expect(await concurrencyDays()).toEqual([['2026-05-04', 2]]);

    // 23:59 Berlin: still the 4th, nothing to do.
    expect(await fx.db.forOrg(orgId, (tx) => refreshByClock(tx, orgId, new Date('2026-05-04T21:59:00Z')))).toBe(0);
    // 00:10 Berlin on the 5th (22:10 UTC on the 4th): the 5th has two running sessions and no row yet.
    const now = new Date('2026-05-04T22:10:00Z');
    expect(await fx.db.forOrg(orgId, (tx) => refreshByClock(tx, orgId, now))).toBe(1);
    expect(await concurrencyDays()).toEqual([
      ['2026-05-04', 2],
      ['2026-05-05', 2],
    ]);
    // What the pure definitions say at that moment, and only once: the row now exists.
    expectSame(await readRollups(owner, orgId), expected(facts, zone, now));
    expect(await fx.db.forOrg(orgId, (tx) => refreshByClock(tx, orgId, new Date('2026-05-04T22:12:00Z')))).toBe(0);
    await expectWeeksSumDays(orgId);
  });

  it("sees only its own org's rows: another org's rebuild leaves them alone", async () => {
    const { facts, now } = factsOf({ zone: 'UTC', nowOffset: SPAN, sessions: [] });
    expect(facts).toEqual([]);
    const one: SessionFacts = {
      sessionId: 'ses-iso',
      invocationId: 'inv-iso',
      developerId: 'ana',
      repositoryId: 'repo-1',
      channel: 'CLI',
      status: 'SUCCEEDED',
      cancelledWhileQueued: false,
      dispatchedUnattended: false,
      taskType: 'STANDARD',
      receivedAt: new Date(BASE),
      startedAt: new Date(BASE + MIN),
      endedAt: new Date(BASE + HOUR),
      slaMinutes: 30,
      costUsd: 1.5,
      interventionTimes: [],
      pr: { openedAt: new Date(BASE + HOUR - MIN), mergedAt: null, firstReviewAt: null },
    };
    await insertHistory(owner, { orgId: 'org-iso-a', timeZone: 'UTC', facts: [one] });
    await insertHistory(owner, { orgId: 'org-iso-b', timeZone: 'UTC', facts: [one] });
    await rebuildEvidence(fx.db, 'org-iso-a', { now });
    await rebuildEvidence(fx.db, 'org-iso-b', { now });
    const before = await readRollups(owner, 'org-iso-b');
    expect(before.evidence).toHaveLength(1);
    await owner.query(`DELETE FROM "AgentSession" WHERE "orgId" = 'org-iso-a'`);
    await rebuildEvidence(fx.db, 'org-iso-a', { now });
    expect((await readRollups(owner, 'org-iso-a')).evidence).toEqual([]);
    expect(await readRollups(owner, 'org-iso-b')).toEqual(before);
  });
});
