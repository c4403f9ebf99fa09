// The rollups in PostgreSQL agree with the pure definitions in @parallax/metrics on random
// histories (sessions across midnight and a daylight-saving change, running, cancelled while
// queued, SLA windows still open, reviews outside the PR's life, batches of one invocation), and a
// session's own refresh leaves the same rows as a rebuild.
import { useTestDatabase, type DatabaseFixture } from '@parallax/db/test-database';
import { channelDays, dailyConcurrency, dayOf, evidenceDays, type SessionFacts } from '@parallax/metrics';
import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rebuildEvidence, refreshClosedWindows, refreshSessionEvidence } from './rollups.ts';
import { insertHistory, readRollups, scoped } from './testing/history.ts';

let fx: DatabaseFixture;
let owner: pg.Client;
beforeAll(async () => {
  fx = await useTestDatabase();
  owner = new pg.Client({ connectionString: fx.ownerUrl });
  await owner.connect();
});
afterAll(() => owner?.end());

const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata'];
const HOUR = 3_600_000;
const MIN = 60_000;
const BASE = Date.parse('2026-03-27T00:00:00Z');
const SPAN = 4 * 24 * HOUR;
const STATUSES = ['SUCCEEDED', 'SUCCEEDED', 'FAILED', 'CANCELLED', 'TIMED_OUT', 'RUNNING', 'QUEUED'] as const;

const sessionArb = fc.record({
  developerId: fc.constantFrom('ana', 'bo', 'cy'),
  repositoryId: fc.constantFrom('repo-1', 'repo-2'),
  channel: fc.constantFrom('WEB', 'CLI', 'SLACK', 'SCHEDULE'),
  batchWithPrevious: fc.boolean(),
  status: fc.constantFrom(...STATUSES),
  cancelledWhileQueued: fc.boolean(),
  dispatchedUnattended: fc.boolean(),
  taskType: fc.constantFrom('STANDARD', 'STANDARD', 'COMPLEX', 'INVESTIGATION'),
  received: fc.oneof(
    fc.integer({ min: 0, max: SPAN }),
    fc.integer({ min: 0, max: SPAN / HOUR }).map((h) => h * HOUR),
  ),
  queued: fc.integer({ min: 0, max: 90 * MIN }),
  length: fc.oneof(
    fc.integer({ min: 0, max: 30 * HOUR }),
    fc.integer({ min: 0, max: 6 }).map((h) => h * HOUR),
  ),
  slaMinutes: fc.constantFrom(30, 120, null),
  cost: fc.option(fc.double({ min: 0, max: 20, noNaN: true }), { nil: null }),
  interventions: fc.array(fc.integer({ min: -10 * MIN, max: 3 * HOUR }), { maxLength: 3 }),
  pr: fc.option(
    fc.record({
      openedAfterStart: fc.integer({ min: 0, max: 4 * HOUR }),
      merged: fc.option(fc.integer({ min: 0, max: 3 * 24 * HOUR }), { nil: null }),
      review: fc.option(fc.integer({ min: -HOUR, max: 4 * 24 * HOUR }), { nil: null }),
    }),
    { nil: null },
  ),
});

const historyArb = fc.record({
  zone: fc.constantFrom(...ZONES),
  nowOffset: fc.integer({ min: 0, max: SPAN + 24 * HOUR }),
  sessions: fc.array(sessionArb, { minLength: 1, maxLength: 25 }),
});

type Generated = typeof historyArb extends fc.Arbitrary<infer T> ? T : never;

/** Session facts as the product would have written them by `now`. */
function factsOf(h: Generated): { facts: SessionFacts[]; now: Date } {
  const now = new Date(BASE + h.nowOffset);
  const facts: SessionFacts[] = [];
  h.sessions.forEach((g, i) => {
    const receivedAt = new Date(BASE + g.received);
    if (receivedAt > now) return;
    const previous = facts[facts.length - 1];
    const invocationId = g.batchWithPrevious && previous ? previous.invocationId : `inv-${i}`;
    const cwq = g.status === 'CANCELLED' && g.cancelledWhileQueued;
    const startAt = receivedAt.getTime() + g.queued;
    const started = !cwq && g.status !== 'QUEUED' && startAt <= now.getTime();
    const endAt = startAt + g.length;
    const terminal = cwq || (g.status !== 'RUNNING' && g.status !== 'QUEUED' && started && endAt <= now.getTime());
    const status = cwq ? 'CANCELLED' : terminal ? g.status : started ? 'RUNNING' : 'QUEUED';
    const startedAt = started ? new Date(startAt) : null;
    const endedAt = cwq ? new Date(startAt) : terminal ? new Date(endAt) : null;
    const openedAt = startedAt && g.pr ? new Date(startAt + g.pr.openedAfterStart) : null;
    const pr =
      openedAt && openedAt <= now && (status === 'SUCCEEDED' || status === 'RUNNING')
        ? {
            openedAt,
            mergedAt:
              g.pr!.merged !== null && openedAt.getTime() + g.pr!.merged <= now.getTime()
                ? new Date(openedAt.getTime() + g.pr!.merged)
                : null,
            firstReviewAt: g.pr!.review !== null ? new Date(Math.min(openedAt.getTime() + g.pr!.review, now.getTime())) : null,
          }
        : null;
    facts.push({
      sessionId: `ses-${String(i).padStart(3, '0')}`,
      invocationId,
      developerId: g.developerId,
      repositoryId: g.repositoryId,
      channel: invocationId === previous?.invocationId ? previous.channel : g.channel,
      status,
      cancelledWhileQueued: cwq,
      dispatchedUnattended: g.dispatchedUnattended,
      taskType: g.taskType as SessionFacts['taskType'],
      receivedAt: invocationId === previous?.invocationId ? previous.receivedAt : receivedAt,
      startedAt,
      endedAt,
      slaMinutes: g.slaMinutes,
      costUsd: terminal && !cwq ? g.cost : null,
      interventionTimes: startedAt
        ? g.interventions
            .map((o) => new Date(Math.min(startAt + Math.max(o, 0), endedAt?.getTime() ?? now.getTime())))
            .filter((t) => t <= now)
        : [],
      pr,
    });
  });
  return { facts, now };
}

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
      }),
      { numRuns: 60 },
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
      }),
      { numRuns: 40 },
    );
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

    expect(await fx.db.forOrg(orgId, (tx) => refreshClosedWindows(tx, orgId, new Date('2026-05-04T09:29:59Z')))).toBe(0);
    expect(await fx.db.forOrg(orgId, (tx) => refreshClosedWindows(tx, orgId, new Date('2026-05-04T09:30:00Z')))).toBe(1);
    row = (await readRollups(owner, orgId)).evidence[0]!;
    expect([row.slaOpen, row.slaMissed, row.slaOpenUntil]).toEqual([0, 1, null]);
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
