// The rows behind each Evidence tile: exactly the records a criterion counts for the scope and
// period (the same inclusion as the rollups: sessions on the day they ended, invocations on the
// day they arrived, PRs on the day they merged), a page at a time or all of them as CSV. Which
// rows, their count and the page are chosen in PostgreSQL; each row's verdict comes from
// @parallax/metrics, the one definition.
import type { Prisma, Tx } from '@parallax/db';
import {
  approvalProvenance,
  type CriteriaTotals,
  channelsByWeekQuery,
  criteriaCountsQuery,
  evidenceRowsQuery,
  isFinished,
  mergeLatencyMs,
  nextDay,
  type RowsScope,
  reviewLatencyMs,
  slaDeadline,
  slaVerdict,
  startOfDay,
  timeToPr,
} from '@parallax/metrics';
import { z } from 'zod';
import { developerCriterion } from './parallel/developer-days.ts';
import type { EvidenceScope } from './scope.ts';

/** The tiles' rows; 'sla-breaches' is the SLA tile's rows that missed it (PR late, or none by the deadline). */
export const CRITERIA = ['unattended', 'channels', 'parallel', 'completion', 'sla', 'sla-breaches', 'pull-requests'] as const;
export type Criterion = (typeof CRITERIA)[number];
export const ZCriterion = z.enum(CRITERIA, { message: `criterion: one of ${CRITERIA.join(', ')}` });

export type Cell = string | number | boolean | null;
export interface EvidenceRows {
  criterion: Criterion;
  columns: { key: string; label: string }[];
  rows: Record<string, Cell>[];
  /** Rows the criterion counts in scope that this viewer may see. */
  total: number;
  /** Other people's rows the viewer's role may not list (counted in the figures all the same). */
  hidden: number;
  nextCursor: number | null;
}

/** At most this many rows in one CSV. */
export const CSV_ROW_LIMIT = 50_000;

type Viewing = Pick<EvidenceScope, 'seesIndividuals' | 'viewerId' | 'seesAllSessions'>;

export async function evidenceRows(
  tx: Tx,
  scope: EvidenceScope,
  criterion: Criterion,
  page: { offset: number; limit: number },
): Promise<EvidenceRows> {
  const names = await namesOf(tx, scope);
  if (criterion === 'parallel') return parallelRows(tx, scope, page, names);

  // Which rows, how many and which page are decided in PostgreSQL by the rollups' own verdicts
  // (@parallax/metrics evidenceRowsQuery); only the page's sessions are then read in full.
  const rows: RowsScope = {
    orgId: scope.orgId,
    start: startOfDay(scope.from, scope.timeZone),
    end: startOfDay(nextDay(scope.to), scope.timeZone),
    now: scope.now,
    developerIds: scope.restrictTo,
    repositoryId: scope.repositoryId,
    person: scope.seesAllSessions ? null : { only: scope.viewerId },
  };
  const q = evidenceRowsQuery(criterion, rows, page);
  const ids = (await tx.$queryRawUnsafe<{ session_id: string }[]>(q.text, ...q.values)).map((r) => r.session_id);
  // How many: the tile's own figure from the rollups (a count of the raw rows takes seconds at a
  // million sessions); the tests hold it to the rows the pages list.
  const inScope = await rollupCount(tx, scope, criterion, scope.restrictTo);
  const mine = scope.restrictTo && !scope.restrictTo.includes(scope.viewerId) ? [] : [scope.viewerId];
  const total = scope.seesAllSessions ? inScope : await rollupCount(tx, scope, criterion, mine);
  const hidden = inScope - total;
  return shape(criterion, await sessionsOf(tx, scope.orgId, ids), total, hidden, page, names, scope);
}

const include = {
  invocation: { select: { id: true, channel: true, receivedAt: true } },
  task: { select: { title: true, taskType: true } },
  repository: { select: { name: true } },
  pullRequest: { select: { number: true, url: true, openedAt: true, mergedAt: true, firstReviewAt: true } },
  interventions: { select: { at: true } },
} satisfies Prisma.AgentSessionInclude;

/** The sessions of `ids` in full, in the order of `ids`, read a slice at a time (a CSV has up to CSV_ROW_LIMIT). */
async function sessionsOf(tx: Tx, orgId: string, ids: readonly string[]): Promise<SessionRow[]> {
  const byId = new Map<string, SessionRow>();
  for (let i = 0; i < ids.length; i += 2_000) {
    const slice = ids.slice(i, i + 2_000);
    for (const s of await tx.agentSession.findMany({ where: { orgId, id: { in: slice } }, include })) byId.set(s.id, s);
  }
  return ids.map((id) => byId.get(id)!);
}

function slaOf(s: SessionRow) {
  return s.slaMinutes === null
    ? null
    : {
        receivedAt: s.invocation.receivedAt,
        slaMinutes: s.slaMinutes,
        prOpenedAt: s.pullRequest?.openedAt ?? null,
        shouldProducePr: s.task.taskType !== 'INVESTIGATION',
        withdrawnByRequester: s.withdrawnByRequester,
      };
}

type SessionRow = Prisma.AgentSessionGetPayload<{ include: typeof include }>;

function factsOf(s: SessionRow) {
  return {
    dispatchedUnattended: s.isUnattended,
    interventionTimes: s.interventions.map((i) => i.at),
    pr: s.pullRequest
      ? { openedAt: s.pullRequest.openedAt, mergedAt: s.pullRequest.mergedAt, firstReviewAt: s.pullRequest.firstReviewAt }
      : null,
  };
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
const minutes = (ms: number | null) => (ms === null ? null : Math.round(ms / 6_000) / 10);

const COLUMNS: Record<Exclude<Criterion, 'parallel' | 'sla-breaches'>, [string, string][]> = {
  completion: [
    ['endedAt', 'Ended'],
    ['developer', 'Developer'],
    ['repository', 'Repository'],
    ['task', 'Task'],
    ['status', 'Status'],
    ['interventions', 'Interventions'],
    ['withoutIntervention', 'Completed without intervention'],
    ['sessionId', 'Session'],
  ],
  unattended: [
    ['endedAt', 'Ended'],
    ['developer', 'Developer'],
    ['repository', 'Repository'],
    ['task', 'Task'],
    ['channel', 'Channel'],
    ['why', 'Unattended because'],
    ['status', 'Status'],
    ['sessionId', 'Session'],
  ],
  channels: [
    ['receivedAt', 'Received'],
    ['channel', 'Channel'],
    ['developer', 'Developer'],
    ['repository', 'Repository'],
    ['task', 'Task'],
    ['sessionId', 'Session'],
  ],
  sla: [
    ['receivedAt', 'Received'],
    ['developer', 'Developer'],
    ['repository', 'Repository'],
    ['task', 'Task'],
    ['taskType', 'Task type'],
    ['slaMinutes', 'SLA (min)'],
    ['deadline', 'Deadline'],
    ['prOpenedAt', 'PR opened'],
    ['timeToPrMinutes', 'Time to PR (min)'],
    ['verdict', 'Verdict'],
    ['sessionId', 'Session'],
  ],
  'pull-requests': [
    ['mergedAt', 'Merged'],
    ['developer', 'Developer'],
    ['repository', 'Repository'],
    ['pr', 'PR'],
    ['provenance', 'Approval'],
    ['interventions', 'Interventions'],
    ['reviewLatencyMinutes', 'Review latency (min)'],
    ['mergeLatencyMinutes', 'Merge latency (min)'],
    ['costUsd', 'Agent cost (USD)'],
    ['sessionId', 'Session'],
  ],
};

const columnsOf = (c: Exclude<Criterion, 'parallel'>) => COLUMNS[c === 'sla-breaches' ? 'sla' : c];

function shape(
  criterion: Exclude<Criterion, 'parallel'>,
  sessions: SessionRow[],
  total: number,
  hidden: number,
  page: { offset: number; limit: number },
  names: Map<string, string>,
  viewing: Viewing & Pick<EvidenceScope, 'now'>,
): EvidenceRows {
  const rows = sessions.map((s) => {
    const facts = factsOf(s);
    const pr = s.pullRequest ? { ...facts.pr!, interventions: s.interventions.length } : null;
    const sla = slaOf(s);
    const row: Record<string, Cell> = {
      sessionId: s.id,
      developer: nameFor(s.developerId, names, viewing),
      repository: s.repository.name,
      task: s.task.title,
      taskType: s.task.taskType,
      status: s.status,
      channel: s.invocation.channel,
      receivedAt: iso(s.invocation.receivedAt),
      endedAt: iso(s.endedAt),
      interventions: s.interventions.length,
      withoutIntervention: isFinished(s) && s.status === 'SUCCEEDED' && s.interventions.length === 0,
      why: s.isUnattended ? 'started by a schedule or trigger' : 'left alone until its PR opened',
      slaMinutes: s.slaMinutes,
      deadline: sla ? iso(slaDeadline(sla)) : null,
      prOpenedAt: iso(s.pullRequest?.openedAt),
      timeToPrMinutes: sla ? minutes(timeToPr(sla)) : null,
      verdict: sla ? slaVerdict(sla, viewing.now) : null,
      mergedAt: iso(s.pullRequest?.mergedAt),
      pr: s.pullRequest ? `#${s.pullRequest.number}` : null,
      prUrl: s.pullRequest?.url ?? null,
      provenance: pr ? approvalProvenance(pr) : null,
      reviewLatencyMinutes: pr && approvalProvenance(pr) === 'reviewed' ? minutes(reviewLatencyMs(pr)) : null,
      mergeLatencyMinutes: pr ? minutes(mergeLatencyMs(pr)) : null,
      costUsd: s.agentCostUsd,
    };
    return row;
  });
  const columns = columnsOf(criterion).map(([key, label]) => ({ key, label }));
  const next = page.offset + page.limit;
  return { criterion, columns, rows, total, hidden, nextCursor: next < total ? next : null };
}

/** The rollups' count of what `criterion` lists, for these developers (null: the scope's all). */
async function rollupCount(tx: Tx, scope: EvidenceScope, criterion: Exclude<Criterion, 'parallel'>, developers: readonly string[] | null) {
  if (developers?.length === 0) return 0;
  const base = { orgId: scope.orgId, from: scope.from, to: scope.to, developers, repositoryId: scope.repositoryId, slaTarget: 1 };
  if (criterion === 'channels') {
    const q = channelsByWeekQuery(base);
    const weeks = await tx.$queryRawUnsafe<{ invocations: number }[]>(q.text, ...q.values);
    return weeks.reduce((n, w) => n + w.invocations, 0);
  }
  const q = criteriaCountsQuery(base);
  const [t] = await tx.$queryRawUnsafe<CriteriaTotals[]>(q.text, ...q.values);
  if (criterion === 'completion') return t!.finished;
  if (criterion === 'unattended') return t!.unattended;
  if (criterion === 'pull-requests') return t!.prs_merged;
  if (criterion === 'sla-breaches') return t!.sla_breached + t!.sla_missed;
  return t!.sla_within + t!.sla_breached + t!.sla_missed;
}

async function namesOf(tx: Tx, scope: EvidenceScope): Promise<Map<string, string>> {
  const members = await tx.membership.findMany({
    where: { orgId: scope.orgId },
    select: { userId: true, user: { select: { name: true, email: true } } },
  });
  return new Map(members.map((m) => [m.userId, m.user.name ?? m.user.email]));
}

/** A person's name where the viewer may see it: their own as "you", others only with 'individuals:read'. */
function nameFor(developerId: string, names: Map<string, string>, viewing: Viewing): string {
  if (developerId === viewing.viewerId) return `${names.get(developerId) ?? 'you'} (you)`;
  if (!viewing.seesIndividuals) return 'a developer';
  return names.get(developerId) ?? 'former member';
}

/** Criterion 3's rows: each developer's active days and median daily max (the person-level rule applies). */
async function parallelRows(
  tx: Tx,
  scope: EvidenceScope,
  page: { offset: number; limit: number },
  names: Map<string, string>,
): Promise<EvidenceRows> {
  // Per developer, by the Parallel page's own criterion 3 (from the weekly rollup's running
  // sums); a role without 'individuals:read' lists only its own row, and the others are counted
  // as hidden. One statement: the page and, beside each of its rows, how many there are in all.
  const only = scope.seesIndividuals ? null : scope.viewerId;
  const criterion = developerCriterion(scope);
  const perDeveloper = `WITH RECURSIVE ${criterion.text}
     SELECT c.*, count(*) OVER () AS everyone, count(*) FILTER (WHERE $5::text IS NULL OR c.developer_id = $5) OVER () AS visible
     FROM criterion c`;
  type Row = {
    developer_id: string;
    active_days: number;
    median_daily_max: number;
    meets: boolean;
    highest_daily_max: number;
    parallel_days: number;
    everyone: bigint;
    visible: bigint;
  };
  const values = [...criterion.values, only];
  const paged = await tx.$queryRawUnsafe<Row[]>(
    `SELECT * FROM (${perDeveloper}) d WHERE $5::text IS NULL OR developer_id = $5
     ORDER BY median_daily_max DESC, developer_id COLLATE "C" LIMIT $6 OFFSET $7`,
    ...values,
    page.limit,
    page.offset,
  );
  // A page past the end has no row to carry the counts: they are asked for on their own.
  const [counts] = paged.length
    ? [{ everyone: Number(paged[0]!.everyone), visible: Number(paged[0]!.visible) }]
    : (
        await tx.$queryRawUnsafe<{ everyone: bigint; visible: bigint }[]>(
          `SELECT everyone, visible FROM (${perDeveloper}) d LIMIT 1`,
          ...values,
        )
      ).map((c) => ({ everyone: Number(c.everyone), visible: Number(c.visible) }));
  const total = counts?.visible ?? 0;
  const rows = paged.map((r) => ({
    developer: nameFor(r.developer_id, names, scope),
    activeDays: r.active_days,
    medianDailyMax: r.median_daily_max,
    maxConcurrency: r.highest_daily_max,
    parallelDays: r.parallel_days,
    meets: r.meets,
  }));
  const next = page.offset + page.limit;
  return {
    criterion: 'parallel',
    columns: [
      { key: 'developer', label: 'Developer' },
      { key: 'activeDays', label: 'Active days' },
      { key: 'medianDailyMax', label: 'Median daily max' },
      { key: 'maxConcurrency', label: 'Highest daily max' },
      { key: 'parallelDays', label: 'Parallel days (max ≥ 3)' },
      { key: 'meets', label: 'Meets criterion 3' },
    ],
    rows,
    total,
    hidden: (counts?.everyone ?? 0) - total,
    nextCursor: next < total ? next : null,
  };
}

/** The rows as CSV (RFC 4180: quoted where needed, CRLF), with a header of the column labels. */
export function toCsv(result: Pick<EvidenceRows, 'columns' | 'rows'>): string {
  const cell = (v: Cell) => {
    if (v === null) return '';
    const text = String(v);
    // A leading = + - @ would run as a formula in a spreadsheet: prefix it (OWASP CSV injection).
    const safe = /^[=+\-@\t\r]/.test(text) && typeof v === 'string' ? `'${text}` : text;
    return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
  };
  const lines = [result.columns.map((c) => cell(c.label)).join(',')];
  for (const row of result.rows) lines.push(result.columns.map((c) => cell(row[c.key] ?? null)).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
