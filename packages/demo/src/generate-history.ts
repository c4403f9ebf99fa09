// generateHistory: a demo org of its own filled with a realistic history, streamed to
// PostgreSQL in chunks (generated while the previous chunk is being written, never the whole
// history in memory), then the evidence rollups rebuilt from it.
import { createDatabase } from '@parallax/db';
import { rebuildEvidence } from '@parallax/evidence';
import { dayOf, daysFrom, isTimeZone, startOfDay } from '@parallax/metrics';
import pg from 'pg';
import { createDemoOrg, deleteDemoOrg, findOrg, markComplete, RefusedError } from './org.ts';
import { type HistoryOptions, type THistoryOptions, UsageError, ZHistoryOptions } from './options.ts';
import { planDevelopers } from './people.ts';
import { createProgress, formatCount, type ProgressOutput } from './progress.ts';
import { createRandom } from './random.ts';
import { emptyChunk, RowBuilder, rowCount } from './rows.ts';
import { type DayContext, developerDay, type GeneratedSession, unattendedDay } from './sessions.ts';
import { TABLE_ORDER, type TableName } from './tables.ts';
import { detectMethod, type EncodedChunk, encodeChunk, measureBareCopy, roleOf, type WriteMethod, writeChunk } from './writer.ts';

export interface GenerateHistoryInput extends THistoryOptions {
  /** An admin connection (superuser or BYPASSRLS): the migration URL, DATABASE_URL in tests. */
  databaseUrl: string;
  /** Where the progress bar goes (stderr in the CLI); null: silent. */
  progress?: ProgressOutput | null;
  /** Sessions per chunk (one transaction each). */
  chunkSessions?: number;
}

export interface HistoryResult {
  orgId: string;
  slug: string;
  method: WriteMethod;
  from: string;
  to: string;
  sessions: number;
  rows: Record<TableName, number>;
  totalRows: number;
  /** Generating and writing the raw rows. */
  seconds: number;
  rowsPerSecond: number;
  /** The same rows' COPY into bare tables (measureBaseline, COPY only). */
  bareCopy: { rows: number; rowsPerSecond: number } | null;
  rollupSeconds: number | null;
  peakRssMb: number;
}

const MINUTE = 60_000;
/** Chunks kept for the bare-COPY comparison: enough rows to time, bounded memory. */
const BASELINE_ROWS = 200_000;

function monthsBefore(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1 - months, d)).toISOString().slice(0, 10);
}

function historyWindow(options: HistoryOptions, now: Date) {
  const tz = options.timeZone;
  if (options.end) {
    const endsAt = startOfDay(options.end, tz).getTime();
    return { from: monthsBefore(options.end, options.months), to: dayOf(endsAt - 1, tz), endsAt };
  }
  const today = dayOf(now, tz);
  return { from: monthsBefore(today, options.months), to: today, endsAt: now.getTime() };
}

export async function generateHistory(input: GenerateHistoryInput): Promise<HistoryResult> {
  const { databaseUrl, progress: output = null, chunkSessions, ...raw } = input;
  const parsed = ZHistoryOptions.safeParse(raw);
  if (!parsed.success) throw new UsageError(parsed.error.issues[0]?.message ?? 'invalid options');
  const options = parsed.data;
  if (!isTimeZone(options.timeZone))
    throw new UsageError(`Unknown time zone "${options.timeZone}" (use an IANA name such as Europe/Berlin)`);
  const progress = createProgress(output);
  const started = performance.now();
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const writers: pg.Client[] = [];
  try {
    const role = await roleOf(client);
    if (!role.bypassesRls)
      throw new RefusedError(
        'seed:demo needs an admin connection (superuser or BYPASSRLS, e.g. the migration URL): PostgreSQL refuses COPY into tables with row-level security for other roles',
      );
    const method = options.method === 'auto' ? await detectMethod(client) : options.method;
    const existing = await findOrg(client, options.orgSlug);
    if (existing && !existing.demo)
      throw new RefusedError(`"${options.orgSlug}" is an organization with real data, not a demo org: choose another --org-slug`);
    if (existing && !options.replace)
      throw new RefusedError(
        `the demo org "${options.orgSlug}" already exists${existing.complete ? '' : ' (an interrupted generation)'}: pass --replace to delete and rewrite it`,
      );
    let ownerUserId: string | null = null;
    if (options.ownerEmail) {
      const { rows } = await client.query<{ id: string }>('SELECT id FROM "User" WHERE lower(email) = lower($1)', [options.ownerEmail]);
      ownerUserId = rows[0]?.id ?? null;
      if (!ownerUserId) throw new UsageError(`No user with the email ${options.ownerEmail}: sign up first, or leave out --owner-email`);
    }
    if (existing) {
      progress.line(`deleting the demo org "${options.orgSlug}"…`);
      await deleteDemoOrg(client, existing, role.superuser);
    }

    const window = historyWindow(options, new Date());
    const days = daysFrom(window.from, window.to);
    const random = createRandom(options.seed);
    const developers = planDevelopers(options.developers, random.fork('people'), options.timeZone);
    const org = await createDemoOrg(client, {
      slug: options.orgSlug,
      name: options.orgName ?? (options.orgSlug === 'demo-history' ? 'Demo history (generated)' : `${options.orgSlug} (generated)`),
      timeZone: options.timeZone,
      developers,
      ownerUserId,
      policiesFrom: new Date(startOfDay(window.from, options.timeZone).getTime() - 24 * 60 * MINUTE),
      options: { developers: options.developers, months: options.months, seed: options.seed, end: options.end ?? null },
    });
    const builder = new RowBuilder({ ...org, endsAt: window.endsAt });
    const teams = org.teams.map((_, k) => {
      const members = developers.filter((d) => d.team === k && d.kind !== 'idle');
      const repositories = [...new Set([k, k * 2 + 1, k + org.teams.length].map((i) => i % org.repositoryIds.length))];
      return { members, schedule: members[0] ?? null, onCall: members, repositories, teammates: members.map((d) => d.index) };
    });

    const counts = Object.fromEntries(TABLE_ORDER.map((t) => [t, 0])) as Record<TableName, number>;
    const baseline: EncodedChunk[] = [];
    let baselineRows = 0;
    let chunk = emptyChunk();
    let chunkCount = 0;
    let sessions = 0;
    // Two connections on PostgreSQL, so the server parses one chunk while the next is sent;
    // PGlite is single-threaded, one is all it can use.
    for (let i = 0; i < (method === 'copy' ? 2 : 1); i++) {
      const writer = new pg.Client({ connectionString: databaseUrl });
      await writer.connect();
      writers.push(writer);
    }
    const inFlight: (Promise<void> | null)[] = writers.map(() => null);
    let chunksWritten = 0;
    const limit = chunkSessions ?? (method === 'copy' ? 4000 : 800);
    const flush = async () => {
      if (chunkCount === 0) return;
      const full = chunk;
      for (const t of TABLE_ORDER) counts[t] += full[t].length;
      const payload = method === 'copy' ? encodeChunk(full) : full;
      if (options.measureBaseline && method === 'copy' && baselineRows < BASELINE_ROWS) {
        baseline.push(payload as EncodedChunk);
        baselineRows += rowCount(full);
      }
      chunk = emptyChunk();
      chunkCount = 0;
      const slot = chunksWritten++ % writers.length;
      await inFlight[slot];
      const write = writeChunk(writers[slot] as pg.Client, payload, role.superuser);
      write.catch(() => {}); // awaited (and thrown) at the slot's next turn or the end
      inFlight[slot] = write;
    };
    const totalRows = () => TABLE_ORDER.reduce((s, t) => s + counts[t], 0);
    for (const [dayIndex, day] of days.entries()) {
      const ctx: Omit<DayContext, 'repositories' | 'teammates'> = {
        day,
        progress: (dayIndex + 0.5) / days.length,
        weeks: dayIndex / 7,
        endsAt: window.endsAt,
        activity: options.activity / 100,
        sla: { STANDARD: 30, COMPLEX: 120, INVESTIGATION: 30 },
      };
      const orgDayStart = startOfDay(day, options.timeZone).getTime();
      const generated: GeneratedSession[] = [];
      for (const [k, team] of teams.entries()) {
        const teamCtx = { ...ctx, repositories: team.repositories, teammates: team.teammates };
        for (const d of team.members) generated.push(...developerDay(d, teamCtx, random.fork(`day:${day}:${d.index}`)));
        generated.push(...unattendedDay(team, orgDayStart, teamCtx, random.fork(`unattended:${day}:${k}`)));
      }
      for (const s of generated) {
        // A retry goes in its earlier try's chunk (they come one after the other): chunks are
        // written side by side, and its link must point at a row of its own transaction.
        if (chunkCount >= limit && s.retryOf === null) await flush();
        builder.add(chunk, s, sessions++);
        chunkCount++;
      }
      progress.update(
        'history',
        (dayIndex + 1) / days.length,
        `${day} · ${formatCount(sessions)} sessions · ${formatCount(totalRows())} rows · ${formatCount(totalRows() / ((performance.now() - started) / 1000))} rows/s`,
      );
      // Let the chunk in flight reach the server while the next one is generated.
      await new Promise((resolve) => setImmediate(resolve));
    }
    await flush();
    await Promise.all(inFlight);
    await markComplete(client, org.orgId);
    const seconds = (performance.now() - started) / 1000;
    const written = totalRows();
    progress.line(
      `wrote ${formatCount(sessions)} sessions (${formatCount(written)} rows: ${TABLE_ORDER.map((t) => `${t} ${formatCount(counts[t])}`).join(', ')}) in ${seconds.toFixed(1)} s, ${formatCount(written / seconds)} rows/s by ${method === 'copy' ? 'COPY' : 'INSERT … unnest'}`,
    );
    // The generator's own peak, before the baseline's texts are joined for the bare COPY.
    const peakRssMb = process.resourceUsage().maxRSS / 1024;
    const bareCopy = baseline.length > 0 ? await measureBareCopy(client, baseline, baselineRows) : null;
    baseline.length = 0;
    if (bareCopy)
      progress.line(
        `bare COPY of the first ${formatCount(bareCopy.rows)} of those rows into plain tables: ${formatCount(bareCopy.rowsPerSecond)} rows/s`,
      );

    // Fresh planner statistics for the rows just loaded, before the rebuild reads them: without
    // them a bulk-loaded table plans as empty until autovacuum comes round, and the embedded
    // PGlite has no autovacuum at all (nested loops over thousands of rows: seconds, not ms).
    const analyzeStarted = performance.now();
    await analyze(client, TABLE_ORDER);
    progress.line(`analyzed the loaded tables in ${((performance.now() - analyzeStarted) / 1000).toFixed(1)} s`);

    let rollupSeconds: number | null = null;
    if (options.rebuildRollups) {
      const rollupStarted = performance.now();
      const db = createDatabase(databaseUrl, { maxConnections: 2 });
      try {
        await rebuildEvidence(db, org.orgId, {
          onProgress: ({ done, total }) => progress.update('rollups', done / Math.max(total, 1), `${done}/${total} developers`),
        });
      } finally {
        await db.disconnect();
      }
      rollupSeconds = (performance.now() - rollupStarted) / 1000;
      progress.line(`rebuilt the evidence rollups in ${rollupSeconds.toFixed(1)} s`);
    }
    // The rollups are read by every page: their statistics too, now that they are written.
    if (options.rebuildRollups) await analyze(client, ROLLUP_TABLES);
    progress.line(`demo org "${org.slug}" (${window.from} to ${window.to}, ${options.timeZone}); peak RSS ${peakRssMb.toFixed(0)} MB`);
    return {
      orgId: org.orgId,
      slug: org.slug,
      method,
      from: window.from,
      to: window.to,
      sessions,
      rows: counts,
      totalRows: written,
      seconds,
      rowsPerSecond: written / seconds,
      bareCopy,
      rollupSeconds,
      peakRssMb,
    };
  } finally {
    await Promise.all([client, ...writers].map((c) => c.end().catch(() => {})));
  }
}

/** The tables rebuildEvidence writes. */
const ROLLUP_TABLES = [
  'EvidenceDay',
  'ChannelDay',
  'ConcurrencyDay',
  'EvidenceOrgDay',
  'ChannelOrgDay',
  'EvidenceWeek',
  'ChannelWeek',
  'DeveloperWeek',
  'TeamWeek',
  'TeamDay',
  'OrgWeek',
] as const;

/** ANALYZE of these tables only: never the whole database of a shared server. */
async function analyze(client: pg.Client, tables: readonly string[]): Promise<void> {
  await client.query(`ANALYZE ${tables.map((t) => `"${t}"`).join(', ')}`);
}
