// The Parallel sessions page's queries on a hand-computed history in real PostgreSQL: sessions
// across midnight in Berlin (UTC+2 in May), running sessions counted up to now, a developer with
// none, a team scope, concurrency across repositories, and who sees whose rows.
import type { Database, Tx } from '@parallax/db';
import { useTestDatabase } from '@parallax/db/test-database';
import { AppError } from '@parallax/tenancy';
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { getDeveloperDay } from './developer-day.ts';
import { getParallelDistribution } from './distribution.ts';
import { getConcurrencyHeatmap } from './heatmap.ts';
import { getLiveConcurrency } from './live.ts';
import type { ParallelScope } from './scope.ts';
import { type History, insertHistory } from './testing/history.ts';

const HOUR = 3_600_000;
const NOW = new Date('2026-05-05T12:00:00Z'); // 14:00 in Berlin
const ms = (iso: string) => Date.parse(iso);

const history: History = {
  orgId: 'org-par',
  timeZone: 'Europe/Berlin',
  minGroupSize: 5,
  now: NOW,
  from: '2026-05-04',
  to: '2026-05-05',
  members: [
    { id: 'u-ana', name: 'Ana', role: 'DEVELOPER' },
    { id: 'u-bo', name: 'Bo', role: 'DEVELOPER' },
    { id: 'u-cy', name: 'Cy', role: 'DEVELOPER' },
    { id: 'u-dee', name: 'Dee', role: 'DEVELOPER' },
    { id: 'u-lea', name: 'Lea', role: 'LEAD' },
  ],
  teams: [{ id: 'team-core', members: ['u-ana', 'u-bo'] }],
  repositories: ['web', 'api'],
  sessions: [
    // Ana, 4 May 22:00 → 5 May 01:00 Berlin, with two more late on the 4th: 1, 2, 3, 2 → max 3.
    {
      id: 'a1',
      developerId: 'u-ana',
      repository: 'web',
      status: 'SUCCEEDED',
      startedAt: '2026-05-04T20:00:00Z',
      endedAt: '2026-05-04T23:00:00Z',
    },
    {
      id: 'a2',
      developerId: 'u-ana',
      repository: 'web',
      status: 'FAILED',
      startedAt: '2026-05-04T21:00:00Z',
      endedAt: '2026-05-04T22:00:00Z',
    },
    {
      id: 'a3',
      developerId: 'u-ana',
      repository: 'api',
      status: 'SUCCEEDED',
      startedAt: '2026-05-04T21:30:00Z',
      endedAt: '2026-05-04T21:45:00Z',
    },
    // On the 5th: a running one since 11:00 Berlin and one 12:00–13:00 → max 2.
    { id: 'a4', developerId: 'u-ana', repository: 'api', status: 'RUNNING', startedAt: '2026-05-05T09:00:00Z', endedAt: null },
    {
      id: 'a5',
      developerId: 'u-ana',
      repository: 'web',
      status: 'SUCCEEDED',
      startedAt: '2026-05-05T10:00:00Z',
      endedAt: '2026-05-05T11:00:00Z',
    },
    // Bo, the 5th: three nested in the morning (max 3), then two running.
    {
      id: 'b1',
      developerId: 'u-bo',
      repository: 'web',
      status: 'SUCCEEDED',
      startedAt: '2026-05-05T06:00:00Z',
      endedAt: '2026-05-05T09:00:00Z',
    },
    {
      id: 'b2',
      developerId: 'u-bo',
      repository: 'web',
      status: 'SUCCEEDED',
      startedAt: '2026-05-05T06:30:00Z',
      endedAt: '2026-05-05T08:00:00Z',
    },
    {
      id: 'b3',
      developerId: 'u-bo',
      repository: 'web',
      status: 'SUCCEEDED',
      startedAt: '2026-05-05T07:00:00Z',
      endedAt: '2026-05-05T07:30:00Z',
    },
    { id: 'b4', developerId: 'u-bo', repository: 'web', status: 'RUNNING', startedAt: '2026-05-05T11:00:00Z', endedAt: null },
    { id: 'b5', developerId: 'u-bo', repository: 'web', status: 'CHECKING', startedAt: '2026-05-05T11:30:00Z', endedAt: null },
    { id: 'b6', developerId: 'u-bo', repository: 'web', status: 'QUEUED', startedAt: null, endedAt: null },
    // Cy, not in the team: one session on the 4th, in the other repository.
    {
      id: 'c1',
      developerId: 'u-cy',
      repository: 'api',
      status: 'SUCCEEDED',
      startedAt: '2026-05-04T08:00:00Z',
      endedAt: '2026-05-04T10:00:00Z',
    },
  ],
};

let db: Database;
beforeAll(async () => {
  const fx = await useTestDatabase();
  db = fx.db;
  const owner = new pg.Client({ connectionString: fx.ownerUrl });
  await owner.connect();
  await insertHistory(owner, history);
  await owner.end();
});

function scopeFor(viewerId: string, options: { team?: boolean; minGroupSize?: number } = {}): ParallelScope {
  const role = history.members.find((m) => m.id === viewerId)!.role;
  const team = options.team ? history.teams[0]!.members : null;
  return {
    orgId: history.orgId,
    timeZone: history.timeZone,
    from: history.from,
    to: history.to,
    restrictTo: team,
    groupSize: team?.length ?? history.members.length,
    minGroupSize: options.minGroupSize ?? history.minGroupSize,
    seesIndividuals: role === 'LEAD',
    viewerId,
    now: NOW,
  };
}
const inOrg = <T>(work: (tx: Tx) => Promise<T>) => db.forOrg(history.orgId, work);

describe('parallel.heatmap', () => {
  it('gives each developer their daily max and time-weighted mean per Berlin day, sessions split at midnight', async () => {
    const map = await inOrg((tx) => getConcurrencyHeatmap(tx, scopeFor('u-lea')));
    expect(map.level).toBe('named');
    expect(map.days).toEqual(['2026-05-04', '2026-05-05']);
    expect(map.totals).toEqual({ developerDays: 4, parallelDays: 2, activeDevelopers: 3 });
    expect(map.rows.map((r) => [r.person.name, r.periodMax, r.activeDays])).toEqual([
      ['Ana', 3, 2],
      ['Bo', 3, 1],
      ['Cy', 1, 1],
      ['Dee', 0, 0],
      ['Lea', 0, 0],
    ]);
    // Ana on the 4th: 22–23 one, 23–23:30 two, 23:30–23:45 three, 23:45–24 two: 3.25 h over 2 h.
    // On the 5th: 00–01 (the rest of a1), 11:00–now (a4) with a5 inside: 5 h over 4 h.
    expect(map.rows[0]!.cells).toEqual([
      { day: '2026-05-04', max: 3, mean: 1.625, activeMs: 2 * HOUR },
      { day: '2026-05-05', max: 2, mean: 1.25, activeMs: 4 * HOUR },
    ]);
    // Bo: 08–11 Berlin (3 + 1.5 + 0.5 h) and 13:00–now with one more from 13:30: 6.5 h over 4 h.
    expect(map.rows[1]!.cells).toEqual([{ day: '2026-05-05', max: 3, mean: 1.625, activeMs: 4 * HOUR }]);
    expect(map.rows[3]!.cells).toEqual([]);
  });

  it('lists only the team for a team scope, and counts a developer’s sessions in every repository together', async () => {
    const team = await inOrg((tx) => getConcurrencyHeatmap(tx, scopeFor('u-lea', { team: true })));
    expect(team.rows.map((r) => r.person.name)).toEqual(['Ana', 'Bo']);
    // Ana's 3 at once on the 4th are a1 and a2 in "web" with a3 in "api" (METRICS.md: concurrency is
    // a developer's; criterion 3 counts it so with or without a repository in scope).
    const overlapping = history.sessions.filter((x) => ['a1', 'a2', 'a3'].includes(x.id));
    expect(new Set(overlapping.map((x) => x.repository))).toEqual(new Set(['web', 'api']));
    expect(team.rows[0]!.cells[0]).toMatchObject({ day: '2026-05-04', max: 3 });
    const live = await inOrg((tx) => getLiveConcurrency(tx, scopeFor('u-lea', { team: true })));
    // Ana's one running session is in "api", Bo's two in "web": all count, whatever the page's repository.
    expect(live.developers.map((r) => [r.person.name, r.running])).toEqual([
      ['Bo', 2],
      ['Ana', 1],
    ]);
  });

  it('shows a developer anonymous rows (their own marked) in a group of minGroupSize, and only their own below it', async () => {
    // Three of the five members were active: the org reaches a minimum of 3, not of 5.
    const hidden = await inOrg((tx) => getConcurrencyHeatmap(tx, scopeFor('u-ana')));
    expect(hidden.level).toBe('none');
    expect(hidden.rows.map((r) => r.person.developerId)).toEqual(['u-ana']);
    const org = await inOrg((tx) => getConcurrencyHeatmap(tx, scopeFor('u-ana', { minGroupSize: 3 })));
    expect(org.level).toBe('anonymous');
    expect(org.rows.map((r) => r.person)).toEqual([
      { key: 'you', developerId: 'u-ana', name: 'You', isViewer: true },
      { key: 'p2', developerId: null, name: null, isViewer: false },
      { key: 'p3', developerId: null, name: null, isViewer: false },
      { key: 'p4', developerId: null, name: null, isViewer: false },
      { key: 'p5', developerId: null, name: null, isViewer: false },
    ]);
    expect(JSON.stringify(org)).not.toMatch(/u-bo|u-cy|Bo|Cy/);
    const team = await inOrg((tx) => getConcurrencyHeatmap(tx, scopeFor('u-ana', { team: true })));
    expect(team.level).toBe('none');
    expect(team.rows.map((r) => r.person.developerId)).toEqual(['u-ana']);
    expect(team.totals).toEqual({ developerDays: 3, parallelDays: 2, activeDevelopers: 2 });
  });
});

describe('parallel.heatmap pages', () => {
  it('pages the ranked developers, each page with its own cells and the scope-wide totals', async () => {
    const all = await inOrg((tx) => getConcurrencyHeatmap(tx, scopeFor('u-lea'), { offset: 0, limit: 100 }));
    const second = await inOrg((tx) => getConcurrencyHeatmap(tx, scopeFor('u-lea'), { offset: 1, limit: 2 }));
    expect(second.page).toEqual({ offset: 1, limit: 2, total: 5 });
    expect(second.rows.map((r) => r.person.name)).toEqual(['Bo', 'Cy']);
    expect(second.rows).toEqual(all.rows.slice(1, 3));
    expect(second.totals).toEqual({ developerDays: 4, parallelDays: 2, activeDevelopers: 3 });
    // Past the end (the scope shrank under the page): the last page, so the pager still shows.
    const past = await inOrg((tx) => getConcurrencyHeatmap(tx, scopeFor('u-lea'), { offset: 6, limit: 2 }));
    expect(past.page).toEqual({ offset: 4, limit: 2, total: 5 });
    expect(past.rows).toEqual(all.rows.slice(4));
    // A team page reads only the team, whatever the page.
    const team = await inOrg((tx) => getConcurrencyHeatmap(tx, scopeFor('u-lea', { team: true }), { offset: 1, limit: 1 }));
    expect(team.rows.map((r) => [r.person.name, r.cells.length])).toEqual([['Bo', 1]]);
    expect(team.page.total).toBe(2);
  });

  it('numbers anonymous rows across pages, and pages only the viewer’s own row below the minimum group', async () => {
    const page = await inOrg((tx) => getConcurrencyHeatmap(tx, scopeFor('u-ana', { minGroupSize: 3 }), { offset: 2, limit: 2 }));
    expect(page.rows.map((r) => r.person)).toEqual([
      { key: 'p3', developerId: null, name: null, isViewer: false },
      { key: 'p4', developerId: null, name: null, isViewer: false },
    ]);
    expect(JSON.stringify(page)).not.toMatch(/u-bo|u-cy|u-dee|u-lea|Bo|Cy|Dee|Lea/);
    const team = await inOrg((tx) => getConcurrencyHeatmap(tx, scopeFor('u-ana', { team: true }), { offset: 0, limit: 1 }));
    expect(team.page.total).toBe(1);
    expect(team.rows.map((r) => r.person.developerId)).toEqual(['u-ana']);
    const beyond = await inOrg((tx) => getConcurrencyHeatmap(tx, scopeFor('u-ana', { team: true }), { offset: 1, limit: 1 }));
    expect(beyond.rows.map((r) => r.person.key)).toEqual(['you']);
  });
});

describe('parallel.distribution', () => {
  it("takes each developer's median daily max over active days and the share meeting 3", async () => {
    const d = await inOrg((tx) => getParallelDistribution(tx, scopeFor('u-lea')));
    expect(d.developers.map((r) => [r.person.name, r.medianDailyMax, r.activeDays, r.meets, r.bucket])).toEqual([
      ['Bo', 3, 1, true, '3'],
      ['Ana', 2.5, 2, false, '2'],
      ['Cy', 1, 1, false, '1'],
    ]);
    expect(d).toMatchObject({ activeDevelopers: 3, meeting: 1, share: 1 / 3, developersInScope: 5, threshold: 3 });
    expect(d.histogram).toEqual([
      { bucket: '1', developers: 1 },
      { bucket: '2', developers: 1 },
      { bucket: '3', developers: 1 },
      { bucket: '4', developers: 0 },
      { bucket: '5+', developers: 0 },
    ]);
  });

  it('keeps the aggregates for a developer below minGroupSize but no one else’s median', async () => {
    const d = await inOrg((tx) => getParallelDistribution(tx, scopeFor('u-bo', { team: true })));
    expect(d.level).toBe('none');
    expect(d.developers).toEqual([
      { activeDays: 1, medianDailyMax: 3, meets: true, bucket: '3', person: expect.objectContaining({ isViewer: true }) },
    ]);
    expect(d).toMatchObject({ activeDevelopers: 2, meeting: 1, share: 0.5 });
  });
});

describe('a breakdown smaller than minGroupSize in a large enough group', () => {
  it('lists no one else when fewer than minGroupSize people are in it, however many members the org has', async () => {
    // Five members, but three active developers in the distribution and two running now.
    const d = await inOrg((tx) => getParallelDistribution(tx, scopeFor('u-ana')));
    expect(d.level).toBe('none');
    expect(d.developers.map((r) => r.person)).toEqual([{ key: 'you', developerId: 'u-ana', name: 'You', isViewer: true }]);
    expect(d).toMatchObject({ activeDevelopers: 3, meeting: 1 });
    const live = await inOrg((tx) => getLiveConcurrency(tx, scopeFor('u-ana')));
    expect(live.level).toBe('none');
    expect(live.developers.map((r) => [r.person.key, r.running])).toEqual([['you', 1]]);
    expect(live).toMatchObject({ runningTotal: 3, developersRunning: 2 });
    expect(JSON.stringify([d, live])).not.toMatch(/u-bo|u-cy|Bo|Cy/);
  });
});

describe('parallel.live', () => {
  it("counts each developer's started, unended sessions against the cap, and the org's queue", async () => {
    const live = await inOrg((tx) => getLiveConcurrency(tx, scopeFor('u-lea')));
    expect(live.developers.map((r) => [r.person.name, r.running])).toEqual([
      ['Bo', 2],
      ['Ana', 1],
    ]);
    expect(live).toMatchObject({ developerCap: 5, queueLength: 1, runningTotal: 3, developersRunning: 2 });
  });
});

describe('parallel.developerDay', () => {
  it("lays out a developer's day: sessions clipped at Berlin midnight and the concurrency steps", async () => {
    const day = await inOrg((tx) => getDeveloperDay(tx, scopeFor('u-lea'), { developerId: 'u-ana', day: '2026-05-04' }));
    expect(day).toMatchObject({
      dayStart: ms('2026-05-03T22:00:00Z'),
      dayEnd: ms('2026-05-04T22:00:00Z'),
      maxConcurrency: 3,
      activeMs: 2 * HOUR,
    });
    expect(day.meanConcurrency).toBeCloseTo(1.625, 9);
    expect(day.person.name).toBe('Ana');
    expect(day.sessions.map((s) => [s.id, s.startMs, s.endMs, s.status, s.repository, s.title])).toEqual([
      ['a1', ms('2026-05-04T20:00:00Z'), ms('2026-05-04T22:00:00Z'), 'SUCCEEDED', 'web', 'Task a1'],
      ['a2', ms('2026-05-04T21:00:00Z'), ms('2026-05-04T22:00:00Z'), 'FAILED', 'web', 'Task a2'],
      ['a3', ms('2026-05-04T21:30:00Z'), ms('2026-05-04T21:45:00Z'), 'SUCCEEDED', 'api', 'Task a3'],
    ]);
    expect(day.steps).toEqual([
      { t: ms('2026-05-03T22:00:00Z'), n: 0 },
      { t: ms('2026-05-04T20:00:00Z'), n: 1 },
      { t: ms('2026-05-04T21:00:00Z'), n: 2 },
      { t: ms('2026-05-04T21:30:00Z'), n: 3 },
      { t: ms('2026-05-04T21:45:00Z'), n: 2 },
      { t: ms('2026-05-04T22:00:00Z'), n: 0 },
    ]);
  });

  it('starts the next day with the session still running across midnight, and ends at now', async () => {
    const day = await inOrg((tx) => getDeveloperDay(tx, scopeFor('u-ana'), { developerId: 'u-ana', day: '2026-05-05' }));
    expect(day.dayEnd).toBe(NOW.getTime());
    expect(day.sessions.map((s) => [s.id, s.startMs, s.endMs, s.running])).toEqual([
      ['a1', ms('2026-05-04T22:00:00Z'), ms('2026-05-04T23:00:00Z'), false],
      ['a4', ms('2026-05-05T09:00:00Z'), NOW.getTime(), true],
      ['a5', ms('2026-05-05T10:00:00Z'), ms('2026-05-05T11:00:00Z'), false],
    ]);
    expect(day.steps.map((s) => s.n)).toEqual([1, 0, 1, 2, 1, 0]);
    expect(day.steps[0]!.t).toBe(ms('2026-05-04T22:00:00Z'));
    expect(day).toMatchObject({ maxConcurrency: 2, activeMs: 4 * HOUR, meanConcurrency: 1.25 });
  });

  it('gives a day after now as empty, not inverted', async () => {
    const day = await inOrg((tx) => getDeveloperDay(tx, scopeFor('u-ana'), { developerId: 'u-ana', day: '2026-05-09' }));
    expect(day).toMatchObject({
      dayStart: ms('2026-05-08T22:00:00Z'),
      dayEnd: ms('2026-05-08T22:00:00Z'),
      sessions: [],
      maxConcurrency: 0,
    });
    expect(day.steps).toEqual([{ t: ms('2026-05-08T22:00:00Z'), n: 0 }]);
  });

  it("refuses another person's day to a developer, and a developer outside the scope to anyone", async () => {
    const other = inOrg((tx) => getDeveloperDay(tx, scopeFor('u-ana'), { developerId: 'u-bo', day: '2026-05-05' }));
    await expect(other).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(other).rejects.toBeInstanceOf(AppError);
    const outside = inOrg((tx) => getDeveloperDay(tx, scopeFor('u-lea', { team: true }), { developerId: 'u-cy', day: '2026-05-04' }));
    await expect(outside).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const stranger = inOrg((tx) => getDeveloperDay(tx, scopeFor('u-lea'), { developerId: 'u-of-another-org', day: '2026-05-04' }));
    await expect(stranger).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
