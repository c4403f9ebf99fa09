// The evidence procedures through the API: a session ended by the fleet is in the summary at
// once; a bad period is a 400 that says why; a new org time zone moves the rollups' days.
import { until } from '@parallax/fleet/testing';
import { endSession, markStarted } from '@parallax/fleet';
import { useTestDatabase, type DatabaseFixture } from '@parallax/db/test-database';
import { beforeAll, describe, expect, it } from 'vitest';
import { callerFor, createOrgFixture, type OrgFixture } from './testing/fixtures.ts';
import { call } from './testing/procedures.ts';

let fx: DatabaseFixture;
let org: OrgFixture;
let sessionId: string;

beforeAll(async () => {
  fx = await useTestDatabase();
  org = await createOrgFixture(fx.db, 'evidence');
  const session = await fx.db.forOrg(org.orgId, (tx) => tx.agentSession.findFirstOrThrow({ where: { orgId: org.orgId } }));
  sessionId = session.id;
});

const today = () => new Date().toISOString().slice(0, 10);

describe('evidence procedures', () => {
  it('count a session ended by the fleet as soon as its end commits', async () => {
    const caller = callerFor(fx.db, org.userId);
    const period = { orgId: org.orgId, from: today(), to: today() };
    const before = await caller.evidence.summary(period);
    expect(before.current.completion.finished).toBe(0);
    await markStarted(fx.db, { orgId: org.orgId, sessionId }, new Date(Date.now() - 60_000));
    await endSession(fx.db, { orgId: org.orgId, sessionId }, { status: 'SUCCEEDED' });
    const after = await caller.evidence.summary(period);
    expect(after.current.completion).toMatchObject({ finished: 1, unassisted: 1, rate: 1 });
    expect(after.current.channels.channels).toEqual(['WEB']);
    const rows = await caller.evidence.rows({ ...period, criterion: 'completion' });
    expect(rows.rows.map((r) => r.sessionId)).toEqual([sessionId]);
    const csv = await caller.evidence.rowsCsv({ ...period, criterion: 'completion' });
    expect(csv).toMatchObject({ rows: 1, truncated: false, filename: `parallax-completion-${today()}-${today()}.csv` });
  });

  it('answers a period that runs backwards, or is not a day, with a 400 that says why', async () => {
    const caller = callerFor(fx.db, org.userId);
    const backwards = await call(caller, 'evidence.summary', { orgId: org.orgId, from: '2026-06-02', to: '2026-06-01' });
    expect(backwards).toMatchObject({
      ok: false,
      code: 'BAD_REQUEST',
      message: expect.stringContaining('The period starts (2026-06-02) after it ends'),
    });
    const notADay = await call(caller, 'evidence.rows', { orgId: org.orgId, from: '2026-02-30', to: '2026-06-01', criterion: 'sla' });
    expect(notADay).toMatchObject({ ok: false, code: 'BAD_REQUEST', message: expect.stringContaining('from: Give a day as YYYY-MM-DD') });
    const criterion = await call(caller, 'evidence.rows', { orgId: org.orgId, from: '2026-06-01', to: '2026-06-01', criterion: 'vibes' });
    expect(criterion).toMatchObject({ ok: false, code: 'BAD_REQUEST', message: expect.stringContaining('criterion: one of unattended') });
  });

  it("rebuilds the org's rollups on its new time zone's days when the zone changes", async () => {
    const caller = callerFor(fx.db, org.userId);
    // Ended at 23:30 UTC: that is tomorrow in Asia/Tokyo.
    const late = await fx.db.forOrg(org.orgId, (tx) =>
      tx.agentSession.update({
        where: { id: sessionId },
        data: { endedAt: new Date('2026-06-01T23:30:00Z'), startedAt: new Date('2026-06-01T23:00:00Z') },
      }),
    );
    expect(late.endedAt).toEqual(new Date('2026-06-01T23:30:00Z'));
    await caller.org.update({ orgId: org.orgId, timeZone: 'UTC' });
    await caller.org.update({ orgId: org.orgId, timeZone: 'Asia/Tokyo' });
    const endedDays = async () =>
      (await fx.db.forOrg(org.orgId, (tx) => tx.evidenceDay.findMany({ where: { orgId: org.orgId, finished: { gt: 0 } } }))).map((r) =>
        r.day.toISOString().slice(0, 10),
      );
    await until('the rollups on Tokyo days', async () => (await endedDays()).includes('2026-06-02'));
    expect(await endedDays()).toEqual(['2026-06-02']);
  });
});
