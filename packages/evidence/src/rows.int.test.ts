// The rows behind each Evidence tile are exactly the records its figure counts, for each role
// as much as that role may see; the CSV carries the same rows; bad scopes are refused clearly.
import { useTestDatabase, type DatabaseFixture } from '@parallax/db/test-database';
import type { Role } from '@parallax/db';
import type { SessionFacts } from '@parallax/metrics';
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { CRITERIA, type Criterion, evidenceRows, toCsv } from './rows.ts';
import { rebuildEvidence } from './rollups.ts';
import { resolveScope } from './scope.ts';
import { evidenceSummary } from './summary.ts';
import { insertHistory, scoped } from './testing/history.ts';

let fx: DatabaseFixture;
let owner: pg.Client;
const ORG = 'org-rows';
const OTHER = 'org-rows-other';
const NOW = new Date('2026-06-30T12:00:00Z');
const PEOPLE: [string, Role][] = [
  ['lead', 'LEAD'],
  ['dev-1', 'DEVELOPER'],
  ['dev-2', 'DEVELOPER'],
  ['auditor', 'AUDITOR'],
];

/** Six weeks of work by two developers: every kind of outcome, each week. */
function history(): SessionFacts[] {
  const facts: SessionFacts[] = [];
  const day = (d: number, h: number) => new Date(Date.UTC(2026, 4, 18 + d, h));
  let n = 0;
  for (let d = 0; d < 42; d++) {
    for (const dev of ['dev-1', 'dev-2']) {
      const k = n++;
      const receivedAt = day(d, 9);
      const startedAt = day(d, 9);
      const endedAt = day(d, 10);
      const ok = k % 5 !== 0;
      facts.push({
        sessionId: `s-${String(k).padStart(3, '0')}`,
        invocationId: `i-${k}`,
        developerId: dev,
        repositoryId: k % 2 ? 'api' : 'web',
        channel: ['WEB', 'CLI', 'SLACK'][k % 3]!,
        status: ok ? 'SUCCEEDED' : 'FAILED',
        cancelledWhileQueued: false,
        dispatchedUnattended: k % 7 === 0,
        taskType: k % 4 === 0 ? 'COMPLEX' : 'STANDARD',
        receivedAt,
        startedAt,
        endedAt,
        slaMinutes: k % 4 === 0 ? 120 : 30,
        costUsd: k % 3 === 0 ? 1.25 : null,
        interventionTimes: k % 6 === 0 ? [day(d, 9)] : [],
        pr: ok
          ? {
              openedAt: new Date(endedAt.getTime() - (k % 3) * 20 * 60_000),
              mergedAt: k % 4 === 1 ? day(d + 1, 9) : null,
              firstReviewAt: k % 8 === 1 ? day(d, 15) : null,
            }
          : null,
      });
      // A parallel burst for dev-1 on Mondays: three at once.
      if (dev === 'dev-1' && day(d, 0).getUTCDay() === 1) {
        for (const extra of [1, 2]) {
          facts.push({
            ...facts[facts.length - 1]!,
            sessionId: `s-${String(k).padStart(3, '0')}-${extra}`,
            invocationId: `i-${k}-${extra}`,
            pr: null,
            status: 'FAILED',
          });
        }
      }
    }
  }
  return facts;
}

beforeAll(async () => {
  fx = await useTestDatabase();
  owner = new pg.Client({ connectionString: fx.ownerUrl });
  await owner.connect();
  await insertHistory(owner, { orgId: ORG, timeZone: 'Europe/Berlin', facts: history() });
  await insertHistory(owner, { orgId: OTHER, timeZone: 'UTC', facts: history().slice(0, 3) });
  for (const [id, role] of PEOPLE) {
    await owner.query(`INSERT INTO "User" (id, email, name, "updatedAt") VALUES ($1, $2, $3, now())`, [
      id,
      `${id}@example.test`,
      `Person ${id}`,
    ]);
    await owner.query(`INSERT INTO "Membership" (id, "orgId", "userId", role) VALUES ($1, $2, $3, $4)`, [`m-${id}`, ORG, id, role]);
  }
  await owner.query(`INSERT INTO "Team" (id, "orgId", name, slug) VALUES ('team-other', $1, 'Other', 'other')`, [OTHER]);
  await rebuildEvidence(fx.db, ORG, { now: NOW });
  return () => owner.end();
});

const PERIOD = { orgId: ORG, from: '2026-05-18', to: '2026-06-28' };

async function scopeOf(userId: string, extra: Partial<typeof PERIOD & { teamId: string; repositoryId: string }> = {}) {
  const role = PEOPLE.find(([id]) => id === userId)![1];
  return fx.db.forOrg(ORG, (tx) => resolveScope(tx, { userId, role }, { ...PERIOD, ...extra }, NOW));
}

async function allRows(userId: string, criterion: Criterion, extra = {}) {
  const scope = await scopeOf(userId, extra);
  return fx.db.forOrg(ORG, (tx) => evidenceRows(tx, scope, criterion, { offset: 0, limit: 10_000 }));
}

describe('the rows behind each criterion', () => {
  it('count exactly what the tiles count, for a lead, in the org and in one repository', async () => {
    for (const extra of [{}, { repositoryId: scoped(ORG, 'api') }]) {
      const scope = await scopeOf('lead', extra);
      const summary = await fx.db.forOrg(ORG, (tx) => evidenceSummary(tx, scope));
      const c = summary.current;
      expect(c.completion.finished).toBeGreaterThan(40);
      const totals = Object.fromEntries(await Promise.all(CRITERIA.map(async (k) => [k, (await allRows('lead', k, extra)).total])));
      expect(totals).toEqual({
        completion: c.completion.finished,
        sla: c.sla.counted,
        'sla-breaches': c.sla.breached + c.sla.missed,
        unattended: c.unattended.unattended,
        'pull-requests': c.pullRequests.merged,
        channels: summary.channelsByWeek.reduce((a, r) => a + r.invocations, 0),
        parallel: c.parallel.activeDevelopers,
      });
      const completion = await allRows('lead', 'completion', extra);
      expect(completion.rows.filter((r) => r.withoutIntervention).length).toBe(c.completion.unassisted);
      const sla = await allRows('lead', 'sla', extra);
      expect(sla.rows.filter((r) => r.verdict === 'within').length).toBe(c.sla.within);
      const breaches = await allRows('lead', 'sla-breaches', extra);
      expect(breaches.rows.map((r) => r.sessionId)).toEqual(sla.rows.filter((r) => r.verdict !== 'within').map((r) => r.sessionId));
      expect(c.sla.breached + c.sla.missed).toBeGreaterThan(0);
      const prs = await allRows('lead', 'pull-requests', extra);
      expect(prs.rows.filter((r) => r.provenance === 'reviewed').length).toBe(c.pullRequests.reviewed);
    }
  });

  it('pages through the rows without losing or repeating one', async () => {
    const scope = await scopeOf('lead');
    const seen: string[] = [];
    let cursor: number | null = 0;
    while (cursor !== null) {
      const page = await fx.db.forOrg(ORG, (tx) => evidenceRows(tx, scope, 'completion', { offset: cursor!, limit: 17 }));
      seen.push(...page.rows.map((r) => String(r.sessionId)));
      cursor = page.nextCursor;
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe((await allRows('lead', 'completion')).total);
  });

  it('names people only to roles that may see individuals; a developer lists only their own rows', async () => {
    const lead = await allRows('lead', 'completion');
    expect(new Set(lead.rows.map((r) => r.developer))).toEqual(new Set(['Person dev-1', 'Person dev-2']));

    const dev = await allRows('dev-1', 'completion');
    expect(new Set(dev.rows.map((r) => r.developer))).toEqual(new Set(['Person dev-1 (you)']));
    expect(dev.total + dev.hidden).toBe(lead.total);
    expect(dev.hidden).toBeGreaterThan(0);

    const auditor = await allRows('auditor', 'completion');
    expect(auditor.total).toBe(lead.total);
    expect(new Set(auditor.rows.map((r) => r.developer))).toEqual(new Set(['a developer']));

    const parallel = await allRows('dev-2', 'parallel');
    expect(parallel.rows.map((r) => r.developer)).toEqual(['Person dev-2 (you)']);
    expect(parallel.hidden).toBe(1);
    // Past the last row the counts are the same (they no longer ride on a row of the page).
    const scope = await scopeOf('dev-2');
    const past = await fx.db.forOrg(ORG, (tx) => evidenceRows(tx, scope, 'parallel', { offset: 5, limit: 5 }));
    expect({ rows: past.rows, total: past.total, hidden: past.hidden }).toEqual({ rows: [], total: 1, hidden: 1 });
  });

  it('writes the same rows as CSV, quoting and defusing spreadsheet formulas', async () => {
    const rows = await allRows('lead', 'sla');
    const csv = toCsv(rows);
    const lines = csv.trimEnd().split('\r\n');
    expect(lines).toHaveLength(rows.total + 1);
    expect(lines[0]).toBe(rows.columns.map((c) => c.label).join(','));
    expect(toCsv({ columns: [{ key: 'a', label: 'A' }], rows: [{ a: '=HYPERLINK("x")' }, { a: 'x,y' }, { a: -3 }] })).toBe(
      'A\r\n"\'=HYPERLINK(""x"")"\r\n"x,y"\r\n-3\r\n',
    );
  });

  it("refuses another org's team or repository as not found, and a period that runs backwards or is too long", async () => {
    const lead = { userId: 'lead', role: 'LEAD' as const };
    const attempt = (input: Record<string, string>) =>
      fx.db
        .forOrg(ORG, (tx) => resolveScope(tx, lead, { ...PERIOD, ...input }, NOW))
        .then(
          () => 'resolved',
          (e: Error & { code?: string }) => `${e.code}: ${e.message}`,
        );
    expect(await attempt({ teamId: 'team-other' })).toBe('NOT_FOUND: Team not found');
    expect(await attempt({ repositoryId: scoped(OTHER, 'api') })).toBe('NOT_FOUND: Repository not found');
    expect(await attempt({ from: '2026-06-02', to: '2026-06-01' })).toMatch(/^INVALID: The period starts \(2026-06-02\) after it ends/);
    expect(await attempt({ from: '2020-01-01', to: '2026-06-01' })).toMatch(/^INVALID: A period of \d+ days is too long: at most 800/);
  });
});
