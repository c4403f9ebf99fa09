// `npm run bench:fleet [-- --sessions N --developers N …]`: many script-agent sessions
// through the real product (PostgreSQL, the Temporal dev server, the worker as its own
// process, real git), measured from the sessions' own events. Starts everything it
// needs and stops it all again, also on Ctrl-C. See bench/README.md.
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createDatabase } from '@parallax/db';
import { createFleetEngine } from '@parallax/temporal/client';
import { createBenchMirror, timeBareWorktrees } from './fleet/baseline.ts';
import { computeFleetFigures } from './fleet/figures.ts';
import { timeFloorPipeline } from './fleet/floor.ts';
import { describeEnvironment, type FleetResult, formatFleetTable, writeFleetResult } from './fleet/report.ts';
import { measureSandboxCost } from './fleet/sandbox-cost.ts';
import { computeSandboxFigures, sandboxShareOfSession } from './fleet/sandbox-figures.ts';
import {
  createBenchOrg,
  type DispatchedSession,
  dispatchSessions,
  readTimelines,
  SANDBOX_OPENS_PER_SESSION,
  SANDBOXED_SPAWNS_PER_SESSION,
  waitForCleanedUp,
  waitForSessions,
} from './fleet/workload.ts';
import { startCpuAccount } from './harness/cpu-account.ts';
import { createBenchDatabase } from './harness/postgres.ts';
import { installSignalHandlers, isTearingDown, onTeardown, teardown } from './harness/teardown.ts';
import { startBenchTemporal } from './harness/temporal.ts';
import { startBenchWorker } from './harness/worker.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const USAGE = `npm run bench:fleet -- [options]

  --sessions N              sessions to dispatch (200)
  --developers N            developers they are spread over, round-robin (40)
  --cap N                   developer concurrency cap (5)
  --org-cap N               org concurrency cap (developers × cap)
  --sleep-ms N              how long each script agent sleeps (1000)
  --baseline N              bare worktree+spawn iterations to time (20)
  --floor N                 fair-floor shell pipeline iterations to time (20)
  --alone N                 sessions run one at a time, after the warm-up (5)
  --sandbox-iterations N    sandbox open/spawn/close iterations to time (20)
  --sandbox MODE            how the worker runs sessions: bubblewrap (the default, as in
                            production) or off (PARALLAX_SANDBOX=off)
  --dispatch-concurrency N  dispatch requests in flight at once (20)
  --timeout-min N           give up waiting for the sessions after N minutes (20)
  --out DIR                 where the JSON result goes (bench/results)

Uses DATABASE_URL and TEMPORAL_ADDRESS when set; otherwise starts its own.`;

function readOptions() {
  const { values } = parseArgs({
    options: {
      sessions: { type: 'string', default: '200' },
      developers: { type: 'string', default: '40' },
      cap: { type: 'string', default: '5' },
      'org-cap': { type: 'string' },
      'sleep-ms': { type: 'string', default: '1000' },
      baseline: { type: 'string', default: '20' },
      floor: { type: 'string', default: '20' },
      alone: { type: 'string', default: '5' },
      'sandbox-iterations': { type: 'string', default: '20' },
      sandbox: { type: 'string', default: 'bubblewrap' },
      'dispatch-concurrency': { type: 'string', default: '20' },
      'timeout-min': { type: 'string', default: '20' },
      out: { type: 'string', default: path.join(root, 'bench', 'results') },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const count = (name: string, raw: string | undefined, min = 1) => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be a whole number ≥ ${min}, not ${raw}\n\n${USAGE}`);
    return n;
  };
  if (values.sandbox !== 'bubblewrap' && values.sandbox !== 'off') {
    throw new Error(`--sandbox must be bubblewrap or off, not ${values.sandbox}\n\n${USAGE}`);
  }
  const developers = count('developers', values.developers);
  const developerCap = count('cap', values.cap);
  return {
    sessions: count('sessions', values.sessions),
    developers,
    developerCap,
    orgCap: values['org-cap'] ? count('org-cap', values['org-cap']) : developers * developerCap,
    sleepMs: count('sleep-ms', values['sleep-ms'], 0),
    baselineIterations: count('baseline', values.baseline),
    floorIterations: count('floor', values.floor),
    aloneSessions: count('alone', values.alone),
    sandboxIterations: count('sandbox-iterations', values['sandbox-iterations']),
    sandbox: values.sandbox as 'bubblewrap' | 'off',
    dispatchConcurrency: count('dispatch-concurrency', values['dispatch-concurrency']),
    timeoutMs: count('timeout-min', values['timeout-min']) * 60_000,
    outDir: path.resolve(values.out),
    testCommand: 'true',
  };
}

const startedAt = performance.now();
const log = (message: string) => console.error(`[bench ${((performance.now() - startedAt) / 1000).toFixed(0).padStart(4)} s] ${message}`);

async function main(): Promise<number> {
  installSignalHandlers();
  const options = readOptions();
  const loadAverageAtStart = os.loadavg()[0]!;
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'parallax-bench-'));
  // As the product's data folder is: searchable, not listable, so each sandbox's user can reach its own folders in it.
  chmodSync(tmp, 0o711);
  onTeardown(
    'remove temporary files',
    () => rm(tmp, { recursive: true, force: true }),
    () => rmSync(tmp, { recursive: true, force: true }),
  );
  const dataDir = path.join(tmp, 'worker-data');
  const reposDir = path.join(tmp, 'origins');
  mkdirSync(reposDir);

  log('starting PostgreSQL and Temporal…');
  const [database, temporal] = await Promise.all([createBenchDatabase(), startBenchTemporal(root)]);
  log(`PostgreSQL: ${database.server}; Temporal: ${temporal.server} at ${temporal.config.address}, namespace ${temporal.config.namespace}`);
  log('starting the worker (it bundles the workflow code first)…');
  const worker = await startBenchWorker({
    root,
    env: { DATABASE_URL: database.appUrl, PARALLAX_DATA_DIR: dataDir, PARALLAX_SANDBOX: options.sandbox, ...temporal.env },
  });
  const workerGone = () =>
    worker.process.child.exitCode !== null || worker.process.child.signalCode !== null
      ? `the worker exited:\n${worker.process.tail()}`
      : null;

  const db = createDatabase(database.appUrl, { maxConnections: Math.min(10, options.dispatchConcurrency + 2) });
  onTeardown('disconnect from the database', () => db.disconnect());
  const fleet = createFleetEngine(temporal.client);
  const workflowIds: string[] = [];
  if (!temporal.isOwn) {
    // Sessions with a PR go on following it; on a shared server they must not outlive the run.
    onTeardown('terminate the sessions', async () => {
      await Promise.all(
        workflowIds.map((id) =>
          temporal.client.workflow
            .getHandle(id)
            .terminate('benchmark over')
            .catch(() => {}),
        ),
      );
    });
  }

  log(`creating the org: ${options.developers} developers, developer cap ${options.developerCap}, org cap ${options.orgCap}…`);
  const org = await createBenchOrg(db, reposDir, options);

  // The floors and the sandbox's cost first, on a machine the sessions do not load yet.
  const mirror = await createBenchMirror(org.origin.path, tmp);
  log(`timing ${options.baselineIterations} bare git worktree add + spawn + remove…`);
  const baselineMs = await timeBareWorktrees({ mirror, workDir: tmp, iterations: options.baselineIterations });
  log(`timing ${options.floorIterations} runs of the fair floor (a plain shell pipeline doing a session's work)…`);
  const floorMs = await timeFloorPipeline({
    mirror,
    originPath: org.origin.path,
    workDir: tmp,
    iterations: options.floorIterations,
    sleepMs: options.sleepMs,
  });
  log(`timing ${options.sandboxIterations} sandbox opens, sandboxed and direct spawns, closes…`);
  const sandboxSamples = await measureSandboxCost({ mirror, workDir: tmp, iterations: options.sandboxIterations });

  // One session first: it makes the repository's mirror (as any earlier session would
  // have in production). Then some one at a time: the overhead without contention.
  const sessionOptions = { sleepMs: options.sleepMs, concurrency: options.dispatchConcurrency };
  const runAlone = async (what: string, index: number): Promise<DispatchedSession> => {
    log(`${what}…`);
    const [one] = await dispatchSessions(db, fleet, org, { ...sessionOptions, count: 1, firstIndex: index });
    workflowIds.push(one!.workflowId);
    if (!(await waitForSessions(db, org.orgId, [one!.sessionId], { timeoutMs: 180_000, isAborted: workerGone }))) {
      throw new Error(`the ${what} did not end within 3 minutes`);
    }
    await waitForCleanedUp(db, org.orgId, [one!.sessionId], 60_000);
    // A failed one (no sandbox here, say) would make every later figure meaningless: stop with its reason.
    const [timeline] = await readTimelines(db, org.orgId, [one!.sessionId]);
    if (timeline?.status !== 'SUCCEEDED') {
      throw new Error(`the ${what} ended ${timeline?.status ?? 'unknown'}: ${timeline?.failureReason ?? 'no reason recorded'}`);
    }
    return one!;
  };
  const warmup = await runAlone('one warm-up session', 0);
  const alone: DispatchedSession[] = [];
  for (let k = 0; k < options.aloneSessions; k++) alone.push(await runAlone(`session ${k + 1} of ${options.aloneSessions} alone`, 1 + k));
  const idleRssMiB = worker.samples.at(-1)?.rssMiB ?? null;

  log(`dispatching ${options.sessions} sessions…`);
  const loadStart = performance.now();
  const cpu = startCpuAccount([
    { name: 'worker (+ its git, shells)', pid: worker.process.pid },
    ...(temporal.pid ? [{ name: 'Temporal server', pid: temporal.pid }] : []),
    { name: 'PostgreSQL (this database)', commandLineIncludes: ` ${database.name} ` },
  ]);
  const sessions = await dispatchSessions(db, fleet, org, {
    ...sessionOptions,
    count: options.sessions,
    firstIndex: 1 + options.aloneSessions,
  });
  const dispatchMs = performance.now() - loadStart;
  workflowIds.push(...sessions.map((s) => s.workflowId));
  log(`dispatched in ${(dispatchMs / 1000).toFixed(1)} s; waiting for every session to end…`);
  const ids = sessions.map((s) => s.sessionId);
  const allEnded = await waitForSessions(db, org.orgId, ids, {
    timeoutMs: options.timeoutMs,
    isAborted: workerGone,
    onProgress: (byStatus) => {
      cpu.sample();
      log(
        Object.entries(byStatus)
          .map(([status, n]) => `${status.toLowerCase()} ${n}`)
          .join(', '),
      );
    },
  });
  if (allEnded) {
    await untilWorktreesRemoved(path.join(dataDir, 'workspaces'), 60_000);
    await waitForCleanedUp(db, org.orgId, ids, 60_000);
  } else log(`not every session ended within ${options.timeoutMs / 60_000} min; reporting what there is`);
  const loadEnd = performance.now();
  const load = cpu.finish();

  const [timelines, [warmupTimeline], aloneTimelines] = await Promise.all([
    readTimelines(db, org.orgId, ids),
    readTimelines(db, org.orgId, [warmup.sessionId]),
    readTimelines(
      db,
      org.orgId,
      alone.map((s) => s.sessionId),
    ),
  ]);
  const figures = computeFleetFigures({
    timelines,
    alone: aloneTimelines,
    sleepMs: options.sleepMs,
    baselineMs,
    floorMs,
    dispatchMs,
  });
  const sandbox =
    'unavailable' in sandboxSamples
      ? sandboxSamples
      : computeSandboxFigures(sandboxSamples, { opens: SANDBOX_OPENS_PER_SESSION, spawns: SANDBOXED_SPAWNS_PER_SESSION });
  const sessionsBySandboxMode: Record<string, number> = {};
  for (const t of [warmupTimeline, ...aloneTimelines, ...timelines]) {
    if (t) sessionsBySandboxMode[t.sandboxMode ?? 'not recorded'] = (sessionsBySandboxMode[t.sandboxMode ?? 'not recorded'] ?? 0) + 1;
  }
  const underLoad = worker.samples.filter((s) => s.at >= loadStart && s.at <= loadEnd).map((s) => s.rssMiB);
  const result: FleetResult = {
    benchmark: 'fleet',
    date: new Date().toISOString(),
    parameters: {
      sessions: options.sessions,
      developers: options.developers,
      developerCap: options.developerCap,
      orgCap: options.orgCap,
      sleepMs: options.sleepMs,
      baselineIterations: options.baselineIterations,
      floorIterations: options.floorIterations,
      aloneSessions: options.aloneSessions,
      sandboxIterations: options.sandboxIterations,
      sandbox: options.sandbox,
      dispatchConcurrency: options.dispatchConcurrency,
      testCommand: options.testCommand,
    },
    environment: describeEnvironment({ postgres: database.server, temporal: temporal.server }, loadAverageAtStart),
    figures,
    sessionsBySandboxMode,
    sandbox: 'unavailable' in sandbox ? sandbox : { ...sandbox, shareOfSession: sandboxShareOfSession(sandbox, figures) },
    worker: {
      peakRssMiB: worker.peakRssMiB(),
      peakRssUnderLoadMiB: underLoad.length > 0 ? Math.max(...underLoad) : null,
      idleRssMiB,
    },
    load,
    wallSeconds: (performance.now() - startedAt) / 1000,
  };
  console.log(formatFleetTable(result));
  const file = await writeFleetResult(options.outDir, result);
  log(`result written to ${path.relative(process.cwd(), file) || file}; stopping everything…`);
  return result.figures.sessions.failed > 0 ? 1 : 0;
}

/** Ended sessions release their worktrees just after; the run is over when they have. */
async function untilWorktreesRemoved(workspacesDir: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const worktrees = () => {
    try {
      return readdirSync(workspacesDir, { withFileTypes: true }).filter((e) => e.isDirectory()).length;
    } catch {
      return 0;
    }
  };
  while (worktrees() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
}

main()
  .then(async (code) => {
    await teardown();
    process.exit(code);
  })
  .catch(async (err: unknown) => {
    if (isTearingDown()) return; // Ctrl-C: the signal handler finishes and exits
    console.error(`[bench] failed: ${err instanceof Error ? err.message : String(err)}`);
    await teardown();
    process.exit(1);
  });
