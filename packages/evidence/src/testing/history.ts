// Tests' way to write a history as the fleet would have left it (org, repositories, tasks,
// invocations, sessions, interventions, PRs) straight into PostgreSQL, and to read the rollups
// back. Connect with an owner (superuser) client: these rows are the fixture, not the product.
import { EVIDENCE_COUNT_COLUMNS, isWithdrawnByRequester, type SessionFacts, weekOf } from '@parallax/metrics';
import type pg from 'pg';

export async function insertHistory(
  owner: pg.Client,
  history: { orgId: string; timeZone: string; facts: readonly SessionFacts[]; minGroupSize?: number },
): Promise<void> {
  const { orgId, facts } = history;
  await owner.query(
    `INSERT INTO "Organization" (id, slug, name, "timeZone", "minGroupSize") VALUES ($1, $1, $1, $2, $3) ON CONFLICT (id) DO NOTHING`,
    [orgId, history.timeZone, history.minGroupSize ?? 5],
  );
  const repositories = [...new Set(facts.map((f) => f.repositoryId))];
  for (const r of repositories) {
    await owner.query(`INSERT INTO "Repository" (id, "orgId", name) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING`, [
      scoped(orgId, r),
      orgId,
      r,
    ]);
  }
  const invocations = new Set<string>();
  for (const [i, f] of facts.entries()) {
    const taskId = scoped(orgId, `task-${f.sessionId}`);
    const repositoryId = scoped(orgId, f.repositoryId);
    const invocationId = scoped(orgId, f.invocationId);
    await owner.query(`INSERT INTO "Task" (id, "orgId", "repositoryId", title, prompt, "taskType") VALUES ($1, $2, $3, $4, 'p', $5)`, [
      taskId,
      orgId,
      repositoryId,
      `Task ${f.sessionId}`,
      f.taskType,
    ]);
    if (!invocations.has(invocationId)) {
      invocations.add(invocationId);
      await owner.query(
        `INSERT INTO "Invocation" (id, "orgId", channel, "actorUserId", "receivedAt", "payloadDigest", "taskId") VALUES ($1, $2, $3, $4, $5, 'd', $6)`,
        [invocationId, orgId, f.channel, f.developerId, iso(f.receivedAt), taskId],
      );
    }
    const sessionId = scoped(orgId, f.sessionId);
    await owner.query(
      `INSERT INTO "AgentSession" (id, "orgId", "taskId", "invocationId", "developerId", "repositoryId", "workflowId", status,
         "queuedAt", "startedAt", "endedAt", "cancelledWhileQueued", "isUnattended", "slaMinutes", "slaDeadline", "agentCostUsd",
         "withdrawnByRequester")
       VALUES ($1, $2, $3, $4, $5, $6, $1, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
      [
        sessionId,
        orgId,
        taskId,
        invocationId,
        f.developerId,
        repositoryId,
        f.status,
        iso(f.receivedAt),
        iso(f.startedAt),
        iso(f.endedAt),
        f.cancelledWhileQueued,
        f.dispatchedUnattended,
        f.slaMinutes,
        f.slaMinutes === null ? null : iso(new Date(f.receivedAt.getTime() + f.slaMinutes * 60_000)),
        f.costUsd,
        isWithdrawnByRequester(f),
      ],
    );
    for (const [k, at] of f.interventionTimes.entries()) {
      await owner.query(`INSERT INTO "Intervention" (id, "orgId", "sessionId", kind, at) VALUES ($1, $2, $3, 'MESSAGE', $4)`, [
        `${sessionId}-iv-${k}`,
        orgId,
        sessionId,
        iso(at),
      ]);
    }
    if (f.pr) {
      await owner.query(
        `INSERT INTO "PullRequest" (id, "orgId", "sessionId", "repositoryId", forge, number, url, title, body, "headBranch", "baseBranch",
           state, "openedAt", "mergedAt", "firstReviewAt")
         VALUES ($1, $2, $3, $4, 'LOCAL', $5, $6, $7, '', $8, 'main', $9, $10, $11, $12)`,
        [
          `${sessionId}-pr`,
          orgId,
          sessionId,
          repositoryId,
          i + 1,
          `local://${orgId}/${i + 1}`,
          `PR of ${f.sessionId}`,
          `agent/${f.sessionId}`,
          f.pr.mergedAt ? 'MERGED' : 'OPEN',
          iso(f.pr.openedAt),
          iso(f.pr.mergedAt),
          iso(f.pr.firstReviewAt),
        ],
      );
    }
  }
}

/** Ids are global: each org's fixture rows get their own. The rollups report developer ids as given, repositories unprefixed. */
export const scoped = (orgId: string, id: string) => `${orgId}:${id}`;
const unscoped = (orgId: string, id: string) => (id.startsWith(`${orgId}:`) ? id.slice(orgId.length + 1) : id);

const num = (v: unknown) => Number(v);
/** The columns are UTC without a zone: send the UTC wall clock, whatever the process's zone. */
const iso = (d: Date | null) => (d ? d.toISOString().replace('Z', '') : null);

export async function readRollups(owner: pg.Client, orgId: string) {
  const day = (d: Date | string) => (typeof d === 'string' ? d : d.toISOString().slice(0, 10));
  const evidence = await owner.query(
    `SELECT *, to_char(day, 'YYYY-MM-DD') AS day_text, "slaOpenUntil" AT TIME ZONE 'UTC' AS open_until FROM "EvidenceDay" WHERE "orgId" = $1
     ORDER BY "developerId" COLLATE "C", "repositoryId" COLLATE "C", day`,
    [orgId],
  );
  const channels = await owner.query(
    `SELECT *, to_char(day, 'YYYY-MM-DD') AS day_text FROM "ChannelDay" WHERE "orgId" = $1
     ORDER BY "developerId" COLLATE "C", "repositoryId" COLLATE "C", day, channel::text COLLATE "C"`,
    [orgId],
  );
  const concurrency = await owner.query(
    `SELECT *, to_char(day, 'YYYY-MM-DD') AS day_text FROM "ConcurrencyDay" WHERE "orgId" = $1 ORDER BY "developerId" COLLATE "C", day`,
    [orgId],
  );
  return {
    evidence: evidence.rows.map((r) => ({
      developerId: r.developerId as string,
      repositoryId: unscoped(orgId, r.repositoryId),
      day: day(r.day_text),
      finished: r.finished,
      succeeded: r.succeeded,
      unassisted: r.unassisted,
      intervened: r.intervened,
      interventions: r.interventions,
      unattended: r.unattended,
      complexFinished: r.complexFinished,
      costUsd: num(r.costUsd),
      costReported: r.costReported,
      slaWithin: r.slaWithin,
      slaBreached: r.slaBreached,
      slaMissed: r.slaMissed,
      slaOpen: r.slaOpen,
      slaOpenUntil: (r.open_until as Date | null) ?? null,
      timeToPrMsSum: num(r.timeToPrMsSum),
      prsOpened: r.prsOpened,
      prsMerged: r.prsMerged,
      mergedSteered: r.mergedSteered,
      mergedReviewed: r.mergedReviewed,
      mergedUnreviewed: r.mergedUnreviewed,
      reviewLatencyMsSum: num(r.reviewLatencyMsSum),
    })),
    channels: channels.rows.map((r) => ({
      developerId: r.developerId as string,
      repositoryId: unscoped(orgId, r.repositoryId),
      day: day(r.day_text),
      channel: r.channel as string,
      invocations: r.invocations as number,
    })),
    concurrency: concurrency.rows.map((r) => ({
      developerId: r.developerId as string,
      day: day(r.day_text),
      maxConcurrency: r.maxConcurrency as number,
      activeMs: num(r.activeMs),
      areaMs: num(r.areaMs),
    })),
  };
}

/**
 * The rollups summed from the daily ones as they should be: the daily rows read back, summed in
 * JS over developers by day (the org days, per repository) and by ISO week (the org's per
 * repository, a developer's over repositories, with active days counted by daily max),
 * beside what the tables hold. Both sides are sorted the same way; a float column the tables
 * hold within a millionth of its sum in JS takes the JS value, so that the two compare equal
 * (PostgreSQL adds floats in its own order), and both are then rounded the same way.
 */
export async function readWeeks(owner: pg.Client, orgId: string) {
  const daily = await readRollups(owner, orgId);
  const counts = EVIDENCE_COUNT_COLUMNS;
  const round = (v: number) => Math.round(v * 1000) / 1000;
  const add = (
    into: Map<string, Record<string, number | string>>,
    key: string,
    base: Record<string, string>,
    row: Record<string, unknown>,
    cols: readonly string[],
  ) => {
    const acc = into.get(key) ?? { ...base, ...Object.fromEntries(cols.map((c) => [c, 0])) };
    for (const c of cols) acc[c] = (acc[c] as number) + Number(row[c] ?? 0);
    into.set(key, acc);
  };
  const org = new Map<string, Record<string, number | string>>();
  const orgDay = new Map<string, Record<string, number | string>>();
  const channelDay = new Map<string, Record<string, number | string>>();
  const channel = new Map<string, Record<string, number | string>>();
  const developer = new Map<string, Record<string, number | string>>();
  const concurrencyCols = ['activeMs', 'areaMs', 'daysAtMax1', 'daysAtMax2', 'daysAtMax3', 'daysAtMax4', 'daysAtMax5Plus'];
  for (const r of daily.evidence) {
    const week = weekOf(r.day);
    add(org, `${r.repositoryId}|${week}`, { repositoryId: r.repositoryId, week }, r, counts);
    add(orgDay, `${r.repositoryId}|${r.day}`, { repositoryId: r.repositoryId, day: r.day }, r, counts);
    add(developer, `${r.developerId}|${week}`, { developerId: r.developerId, week }, r, [...counts, ...concurrencyCols, 'maxConcurrency']);
  }
  const channelsOf = new Map<string, Set<string>>();
  for (const r of daily.channels) {
    const week = weekOf(r.day);
    add(channel, `${r.repositoryId}|${week}|${r.channel}`, { repositoryId: r.repositoryId, week, channel: r.channel }, r, ['invocations']);
    add(channelDay, `${r.repositoryId}|${r.day}|${r.channel}`, { repositoryId: r.repositoryId, day: r.day, channel: r.channel }, r, [
      'invocations',
    ]);
    const key = `${r.developerId}|${week}`;
    add(developer, key, { developerId: r.developerId, week }, {}, [...counts, ...concurrencyCols, 'maxConcurrency']);
    channelsOf.set(key, (channelsOf.get(key) ?? new Set()).add(r.channel));
  }
  for (const r of daily.concurrency) {
    const week = weekOf(r.day);
    const bucket = `daysAtMax${r.maxConcurrency >= 5 ? '5Plus' : r.maxConcurrency}`;
    add(developer, `${r.developerId}|${week}`, { developerId: r.developerId, week }, { ...r, [bucket]: 1, maxConcurrency: 0 }, [
      ...counts,
      ...concurrencyCols,
      'maxConcurrency',
    ]);
    const acc = developer.get(`${r.developerId}|${week}`)!;
    acc.maxConcurrency = Math.max(acc.maxConcurrency as number, r.maxConcurrency);
  }
  for (const [key, row] of developer) row.channels = [...(channelsOf.get(key) ?? [])].sort().join(',');
  // A developer's running sums, week after week: active days by daily max, and what Variance
  // reads (METRICS.md "Baseline": a single-agent week has activity and a daily max of at most 1).
  const n = (row: Record<string, number | string>, c: string) => row[c] as number;
  const single = (row: Record<string, number | string>) => n(row, 'activeMs') > 0 && n(row, 'maxConcurrency') <= 1;
  const runningSums: [string, (row: Record<string, number | string>) => number][] = [
    ...[1, 2, 3, 4].map(
      (k) =>
        [`cumDaysAtMax${k}`, (row: Record<string, number | string>) => n(row, `daysAtMax${k}`)] as [
          string,
          (row: Record<string, number | string>) => number,
        ],
    ),
    ['cumDaysAtMax5Plus', (row) => n(row, 'daysAtMax5Plus')],
    ['cumSingleWeeks', (row) => (single(row) ? 1 : 0)],
    ['cumSingleMerged', (row) => (single(row) ? n(row, 'prsMerged') : 0)],
    ['cumFinished', (row) => n(row, 'finished')],
    ['cumSucceeded', (row) => n(row, 'succeeded')],
    ['cumIntervened', (row) => n(row, 'intervened')],
    ['cumComplexFinished', (row) => n(row, 'complexFinished')],
    ['cumSlaWithin', (row) => n(row, 'slaWithin')],
    ['cumSlaLate', (row) => n(row, 'slaBreached') + n(row, 'slaMissed')],
    ['cumPrsMerged', (row) => n(row, 'prsMerged')],
    ['cumActiveMs', (row) => n(row, 'activeMs')],
    ['cumAreaMs', (row) => n(row, 'areaMs')],
  ];
  const cumulative = runningSums.map(([c]) => c);
  const runningOf = new Map<string, number[]>();
  for (const [, row] of [...developer.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const running = runningOf.get(row.developerId as string) ?? runningSums.map(() => 0);
    runningSums.forEach(([c, value], i) => {
      running[i] = running[i]! + value(row);
      row[c] = running[i]!;
    });
    runningOf.set(row.developerId as string, running);
  }
  const sorted = (m: Map<string, Record<string, number | string>>) =>
    [...m.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, v]) => v);
  const stored = async (table: string, keys: string[], cols: readonly string[]) => {
    const channels = table === 'DeveloperWeek' ? `, array_to_string(channels::text[], ',') AS channel_list` : '';
    const period = keys.includes('day') ? 'day' : 'week';
    const { rows } = await owner.query(
      `SELECT *, to_char(${period}, 'YYYY-MM-DD') AS period_text${channels} FROM "${table}" WHERE "orgId" = $1`,
      [orgId],
    );
    const m = new Map<string, Record<string, number | string>>();
    for (const r of rows) {
      const base: Record<string, string> = {};
      for (const k of keys) base[k] = k === 'week' || k === 'day' ? r.period_text : k === 'repositoryId' ? unscoped(orgId, r[k]) : r[k];
      const row: Record<string, number | string> = { ...base, ...Object.fromEntries(cols.map((c) => [c, Number(r[c])])) };
      if (channels) row.channels = String(r.channel_list).split(',').filter(Boolean).sort().join(',');
      m.set(keys.map((k) => base[k]).join('|'), row);
    }
    return sorted(m);
  };
  const want = {
    orgDay: sorted(orgDay),
    channelDay: sorted(channelDay),
    org: sorted(org),
    channel: sorted(channel),
    developer: sorted(developer),
  };
  const got: typeof want = {
    orgDay: await stored('EvidenceOrgDay', ['repositoryId', 'day'], counts),
    channelDay: await stored('ChannelOrgDay', ['repositoryId', 'day', 'channel'], ['invocations']),
    org: await stored('EvidenceWeek', ['repositoryId', 'week'], counts),
    channel: await stored('ChannelWeek', ['repositoryId', 'week', 'channel'], ['invocations']),
    developer: await stored('DeveloperWeek', ['developerId', 'week'], [...counts, ...concurrencyCols, 'maxConcurrency', ...cumulative]),
  };
  // Rounding each side alone is not enough: 0.0335 summed in another order is 0.03349999…, and
  // the two round apart. Rounding a running total at every step drifts the same way.
  const floats = ['costUsd', 'timeToPrMsSum', 'reviewLatencyMsSum', 'activeMs', 'areaMs', 'cumActiveMs', 'cumAreaMs'];
  for (const table of Object.keys(want) as (keyof typeof want)[]) {
    got[table].forEach((row, i) => {
      const w = want[table][i];
      for (const c of floats) {
        if (!w || typeof row[c] !== 'number' || typeof w[c] !== 'number') continue;
        if (Math.abs((row[c] as number) - (w[c] as number)) <= 1e-6 * Math.max(1, Math.abs(w[c] as number))) row[c] = w[c];
      }
    });
  }
  const rounded = (rows: Record<string, number | string>[]) =>
    rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'number' ? round(v) : v])));
  const each = (t: typeof want) => Object.fromEntries(Object.entries(t).map(([k, rows]) => [k, rounded(rows)])) as typeof want;
  return { want: each(want), got: each(got) };
}
