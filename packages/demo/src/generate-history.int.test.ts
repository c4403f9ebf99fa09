// A small generated history, read back through the tenant-scoped client, holds together (every
// session has its invocation, task and timeline; PRs only for succeeded sessions; timestamps in
// order), is the same for the same seed, and has the shapes issue 9 asks for, measured with
// @parallax/metrics' own definitions and the rollups they fill.
import type { Database } from '@parallax/db';
import { type DatabaseFixture, useTestDatabase } from '@parallax/db/test-database';
import {
  channelsUsed,
  completionWithoutIntervention,
  costPerMergedPr,
  dailyConcurrency,
  parallelCriterion,
  provenanceShares,
  prWithinSla,
  startOfDay,
} from '@parallax/metrics';
import { withDatabase } from '@parallax/db/testing';
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateHistory, type HistoryResult } from './generate-history.ts';

let fx: DatabaseFixture;
let small: HistoryResult;
const TZ = 'Europe/Berlin';
const END = '2026-11-30';
const endsAt = startOfDay(END, TZ);

beforeAll(async () => {
  fx = await useTestDatabase();
  small = await generateHistory({ databaseUrl: fx.ownerUrl, developers: 8, months: 2, seed: 7, end: END, orgSlug: 'small-history' });
}, 120_000);

async function readHistory(db: Database, orgId: string) {
  return db.forOrg(orgId, async (tx) => ({
    sessions: await tx.agentSession.findMany({
      include: {
        invocation: true,
        task: true,
        events: { orderBy: [{ at: 'asc' }, { id: 'asc' }] },
        interventions: { orderBy: { at: 'asc' } },
        pullRequest: true,
      },
      orderBy: { id: 'asc' },
    }),
    org: await tx.organization.findUniqueOrThrow({ where: { id: orgId } }),
    memberships: await tx.membership.findMany({ include: { user: true } }),
  }));
}

describe('a generated history', () => {
  it('lives in a demo org of its own whose people cannot sign in', async () => {
    const { org, memberships } = await readHistory(fx.db, small.orgId);
    expect(org).toMatchObject({ demo: true, slug: 'small-history', timeZone: TZ });
    expect(memberships).toHaveLength(8);
    for (const m of memberships) {
      expect(m.user.email).toMatch(/@demo\.parallax\.invalid$/);
      expect(m.user.passwordHash).toBeNull();
    }
    // Another org sees none of it.
    expect(await fx.db.forOrg('some-other-org', (tx) => tx.agentSession.count())).toBe(0);
  });

  it('gives every session its invocation, task and timeline, PRs only when it succeeded, times in order', async () => {
    const { sessions } = await readHistory(fx.db, small.orgId);
    expect(sessions.length).toBe(small.sessions);
    expect(small.sessions).toBeGreaterThan(500);
    let events = 0;
    for (const s of sessions) {
      expect(s.invocation.taskId).toBe(s.taskId);
      expect(s.task.repositoryId).toBe(s.repositoryId);
      const inv = s.invocation;
      expect(inv.receivedAt.getTime()).toBeLessThanOrEqual(s.queuedAt.getTime());
      if (s.startedAt) expect(s.queuedAt.getTime()).toBeLessThanOrEqual(s.startedAt.getTime());
      if (s.endedAt) expect((s.startedAt ?? s.queuedAt).getTime()).toBeLessThanOrEqual(s.endedAt.getTime());
      if (s.pullRequest) expect(s.status).toBe('SUCCEEDED');
      if (s.cancelledWhileQueued) expect(s.startedAt).toBeNull();
      const types = s.events.map((e) => e.type);
      expect(types).toContain('QUEUED');
      if (s.endedAt) expect(types).toContain('ENDED');
      expect(types.filter((t) => t === 'INTERVENTION')).toHaveLength(s.interventions.length);
      for (const e of s.events) expect(e.at.getTime()).toBeLessThan(endsAt.getTime());
      const pr = s.pullRequest;
      if (pr?.mergedAt) expect(pr.mergedAt.getTime()).toBeGreaterThanOrEqual(pr.openedAt.getTime());
      if (pr) expect(pr.openedAt.getTime()).toBeLessThanOrEqual(s.endedAt?.getTime() ?? 0);
      events += s.events.length;
    }
    expect(small.rows.SessionEvent).toBe(events);
    expect(sessions.some((s) => s.cancelledWhileQueued)).toBe(true);
    // Its queued tasks are withdrawn by whoever asked for them (left out of the SLA).
    expect(sessions.every((s) => s.withdrawnByRequester === s.cancelledWhileQueued)).toBe(true);
    expect(sessions.some((s) => s.status === 'SUCCEEDED' && !s.pullRequest && s.task.taskType === 'INVESTIGATION')).toBe(true);
  });

  it('records interventions as the fleet does: corrections while a try runs, a retry of a failed try on the retry, linked to it', async () => {
    const { sessions } = await readHistory(fx.db, small.orgId);
    const byId = new Map(sessions.map((s) => [s.id, s]));
    const retries = sessions.filter((s) => s.retryOfId !== null);
    expect(retries.length).toBeGreaterThan(5);
    for (const retry of retries) {
      const earlier = byId.get(retry.retryOfId!)!;
      // A try of the same developer, repository and task type that ran and ended without success, before the retry came in.
      expect(earlier).toBeDefined();
      expect([earlier.developerId, earlier.repositoryId, earlier.task.taskType]).toEqual([
        retry.developerId,
        retry.repositoryId,
        retry.task.taskType,
      ]);
      expect(['FAILED', 'TIMED_OUT', 'CANCELLED']).toContain(earlier.status);
      expect(earlier.startedAt).not.toBeNull();
      expect(earlier.isUnattended).toBe(false);
      expect(earlier.endedAt!.getTime()).toBeLessThan(retry.invocation.receivedAt.getTime());
      expect(retry.task.prompt).toBe(earlier.task.prompt);
      // The retry's first intervention is the retry itself, at its dispatch.
      const [first] = retry.interventions;
      expect(first?.kind).toBe(earlier.status === 'CANCELLED' ? 'CANCEL_AND_RETRY' : 'RESTART');
      expect(first!.at.getTime()).toBe(retry.queuedAt.getTime() + 1);
    }
    expect(new Set(retries.map((r) => r.interventions[0]!.kind))).toEqual(new Set(['RESTART', 'CANCEL_AND_RETRY']));
    // A first try's task is its own: the fleet would take the same prompt sent again after a failure for a retry.
    const firsts = sessions.filter((s) => s.retryOfId === null).map((s) => s.task.prompt);
    expect(new Set(firsts).size).toBe(firsts.length);
    // Every other intervention is a correction sent while the try ran: the one kind the fleet records during a run.
    for (const s of sessions) {
      for (const [k, i] of s.interventions.entries()) {
        if (k === 0 && s.retryOfId !== null) continue;
        expect(i.kind).toBe('MESSAGE');
        expect(i.at.getTime()).toBeGreaterThanOrEqual(s.startedAt!.getTime());
      }
    }
  });

  it('is the same history for the same seed', async () => {
    const again = await generateHistory({
      databaseUrl: fx.ownerUrl,
      developers: 8,
      months: 2,
      seed: 7,
      end: END,
      orgSlug: 'small-history-again',
      rebuildRollups: false,
    });
    const strip = (prefix: string) => (value: unknown) => JSON.stringify(value).replaceAll(prefix, 'ID');
    const a = (await readHistory(fx.db, small.orgId)).sessions.map(strip(`d${small.orgId.replace(/-/g, '').slice(0, 12)}`));
    const b = (await readHistory(fx.db, again.orgId)).sessions.map(strip(`d${again.orgId.replace(/-/g, '').slice(0, 12)}`));
    expect(b.map((s) => s.replaceAll(again.orgId, 'ORG'))).toEqual(a.map((s) => s.replaceAll(small.orgId, 'ORG')));
    const other = await generateHistory({
      databaseUrl: fx.ownerUrl,
      developers: 8,
      months: 2,
      seed: 8,
      end: END,
      orgSlug: 'small-other-seed',
      rebuildRollups: false,
    });
    expect(other.sessions).not.toBe(small.sessions);
  });

  it('has developers who reach three parallel sessions and one who never runs two', async () => {
    const { sessions } = await readHistory(fx.db, small.orgId);
    const developers = [...new Set(sessions.map((s) => s.developerId))];
    const lastMonth = dailyConcurrency(sessions, { from: '2026-11-01', to: '2026-11-29', timeZone: TZ, now: endsAt }, developers);
    const whole = dailyConcurrency(sessions, { from: '2026-09-30', to: '2026-11-29', timeZone: TZ, now: endsAt }, developers);
    const medians = developers.map((d) => parallelCriterion(lastMonth.filter((r) => r.developerId === d)).medianDailyMax ?? 0);
    expect(Math.max(...medians)).toBeGreaterThanOrEqual(3);
    const maxima = developers.map((d) => Math.max(...whole.filter((r) => r.developerId === d).map((r) => r.maxConcurrency)));
    expect(maxima.filter((m) => m === 1).length).toBeGreaterThanOrEqual(1);
    expect(maxima.some((m) => m === 2) || medians.some((m) => m > 1 && m < 3)).toBe(true);
  });

  it('steers less as people learn, misses the SLA mostly on complex tasks, uses every channel, merges 60–90%', async () => {
    const { sessions } = await readHistory(fx.db, small.orgId);
    const firstWeeks = sessions.filter((s) => s.queuedAt < new Date('2026-10-14T00:00:00Z'));
    const lastWeeks = sessions.filter((s) => s.queuedAt >= new Date('2026-11-16T00:00:00Z'));
    const outcome = (s: (typeof sessions)[number]) => ({ ...s, interventions: s.interventions.length });
    const early = completionWithoutIntervention(firstWeeks.map(outcome)).rate ?? 0;
    const late = completionWithoutIntervention(lastWeeks.map(outcome)).rate ?? 0;
    expect(late).toBeGreaterThan(early);

    const sla = (type: string) =>
      prWithinSla(
        sessions
          .filter((s) => s.task.taskType === type)
          .map((s) => ({
            receivedAt: s.invocation.receivedAt,
            slaMinutes: s.slaMinutes ?? 0,
            prOpenedAt: s.pullRequest?.openedAt ?? null,
            shouldProducePr: true,
            withdrawnByRequester: s.withdrawnByRequester,
          })),
        endsAt,
      ).rate ?? 1;
    expect(1 - sla('COMPLEX')).toBeGreaterThan(1 - sla('STANDARD') + 0.1);

    expect(channelsUsed(sessions.map((s) => s.invocation)).channels).toEqual([
      'API',
      'CLI',
      'GITHUB',
      'PAGERDUTY',
      'SCHEDULE',
      'SLACK',
      'WEB',
    ]);
    expect(sessions.filter((s) => s.isUnattended).length).toBeGreaterThan(20);

    const prs = sessions.flatMap((s) => (s.pullRequest ? [{ ...s.pullRequest, interventions: s.interventions.length }] : []));
    const decided = prs.filter((p) => p.state !== 'OPEN');
    const shares = provenanceShares(prs);
    const mergeRate = shares.merged / decided.length;
    expect(mergeRate).toBeGreaterThanOrEqual(0.6);
    expect(mergeRate).toBeLessThanOrEqual(0.9);
    expect(shares.steered).toBeGreaterThan(0);
    expect(shares.reviewed).toBeGreaterThan(shares.unreviewed);
    expect(shares.unreviewed).toBeGreaterThan(0);

    const ended = sessions.filter((s) => s.endedAt && s.startedAt);
    const cost = costPerMergedPr(
      ended.map((s) => s.agentCostUsd),
      shares.merged,
    );
    expect(cost.coverage).toBeGreaterThan(0.2);
    expect(cost.coverage).toBeLessThan(0.9);
  });

  it('runs a share of the usual rhythm with --activity: the same org, fewer sessions', async () => {
    const quiet = await generateHistory({
      databaseUrl: fx.ownerUrl,
      developers: 8,
      months: 2,
      seed: 7,
      end: END,
      orgSlug: 'quiet-history',
      activity: 20,
      rebuildRollups: false,
    });
    const share = quiet.sessions / small.sessions;
    expect(share).toBeGreaterThan(0.1);
    expect(share).toBeLessThan(0.35);
    const people = await fx.db.forOrg(quiet.orgId, (tx) => tx.membership.count());
    expect(people).toBe(8);
  });

  it('keeps a retry in the chunk of the try it retries, so an admin whose foreign keys are checked (not a superuser) writes it too', async () => {
    // A superuser's chunks skip the foreign-key triggers; a BYPASSRLS admin's do not, and two
    // chunks are written at once: a retry's link must point at a row of its own transaction.
    const login = `demo_admin_${process.pid}`;
    const owner = new pg.Client({ connectionString: fx.ownerUrl });
    await owner.connect();
    const database = new URL(fx.ownerUrl).pathname.slice(1);
    try {
      await owner.query(`CREATE ROLE ${login} LOGIN PASSWORD '${login}' BYPASSRLS`);
      await owner.query(`GRANT ALL ON ALL TABLES IN SCHEMA public TO ${login}; GRANT CONNECT ON DATABASE "${database}" TO ${login}`);
      const chunked = await generateHistory({
        databaseUrl: withDatabase(fx.ownerUrl, database, login),
        developers: 6,
        months: 1,
        seed: 11,
        end: END,
        orgSlug: 'chunked-history',
        chunkSessions: 2,
        rebuildRollups: false,
      });
      const { rows } = await owner.query<{ retries: number; linked: number }>(
        `SELECT count(*) FILTER (WHERE s."retryOfId" IS NOT NULL)::int AS retries,
                count(e.id)::int AS linked
         FROM "AgentSession" s LEFT JOIN "AgentSession" e ON e.id = s."retryOfId" WHERE s."orgId" = $1`,
        [chunked.orgId],
      );
      expect(rows[0]!.retries).toBeGreaterThan(0);
      expect(rows[0]!.linked).toBe(rows[0]!.retries);
    } finally {
      await owner.query(`REASSIGN OWNED BY ${login} TO CURRENT_USER; DROP OWNED BY ${login}; DROP ROLE ${login}`).catch(() => {});
      await owner.end();
    }
  });

  it('fills the evidence rollups, where the share of sessions steered falls over the history', async () => {
    const rollups = await fx.db.forOrg(small.orgId, async (tx) => ({
      evidence: await tx.evidenceDay.findMany(),
      concurrency: await tx.concurrencyDay.count(),
      channels: await tx.channelDay.count(),
    }));
    expect(rollups.evidence.length).toBeGreaterThan(0);
    expect(rollups.concurrency).toBeGreaterThan(0);
    expect(rollups.channels).toBeGreaterThan(0);
    const share = (from: string, to: string) => {
      const rows = rollups.evidence.filter((r) => r.day >= new Date(from) && r.day < new Date(to));
      return rows.reduce((s, r) => s + r.intervened, 0) / rows.reduce((s, r) => s + r.finished, 0);
    };
    expect(share('2026-09-30', '2026-10-14')).toBeGreaterThan(share('2026-11-16', '2026-11-30'));
    expect(small.rollupSeconds).not.toBeNull();
  });
});
