// The fleet benchmark's result: a table for people, a JSON file for comparing runs.
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { CpuAccount } from '../harness/cpu-account.ts';
import type { Distribution, FleetFigures } from './figures.ts';
import type { SandboxFigures } from './sandbox-figures.ts';

export interface FleetResult {
  benchmark: 'fleet';
  date: string;
  parameters: Record<string, number | string>;
  environment: {
    cpus: number;
    cpuModel: string;
    memoryGiB: number;
    node: string;
    postgres: string;
    temporal: string;
    /** The 1-minute load average when the run began: other work on a shared machine shows here. */
    loadAverageAtStart: number;
  };
  figures: FleetFigures;
  /** How many sessions ran in each mode, as the worker recorded it on each session. */
  sessionsBySandboxMode: Record<string, number>;
  /** The sandbox's cost measured in the same run, or why bubblewrap could not run here. */
  sandbox: (SandboxFigures & { shareOfSession: { alone: number | null; underLoad: number | null } }) | { unavailable: string };
  worker: {
    /** VmHWM: the worker's peak resident set over its whole life, start-up bundling included. */
    peakRssMiB: number;
    /** The highest sampled resident set while the sessions ran. */
    peakRssUnderLoadMiB: number | null;
    /** Resident set after the warm-up session, before the load. */
    idleRssMiB: number | null;
  };
  /** From the first dispatch until every worktree was released. */
  load: CpuAccount;
  wallSeconds: number;
}

const ms = (v: number | null | undefined) =>
  v == null ? '—' : v >= 10_000 ? `${(v / 1000).toFixed(1)} s` : Math.abs(v) < 10 ? `${v.toFixed(1)} ms` : `${Math.round(v)} ms`;
const x = (v: number | null) => (v === null ? '—' : `${v.toFixed(1)}×`);
const dist = (d: Distribution | null) =>
  d ? `p50 ${ms(d.p50)}   p95 ${ms(d.p95)}   p99 ${ms(d.p99)}   (mean ${ms(d.mean)}, max ${ms(d.max)}, n=${d.n})` : '—';
const pct = (v: number | null) => (v === null ? '—' : `${(100 * v).toFixed(1)}%`);

function sandboxRows(r: FleetResult): [string, string][] {
  const modes = Object.entries(r.sessionsBySandboxMode)
    .map(([mode, n]) => `${n} ${mode}`)
    .join(', ');
  const rows: [string, string][] = [['sessions ran', `${modes}  [worker started with --sandbox ${r.parameters.sandbox}]`]];
  const s = r.sandbox;
  if ('unavailable' in s) return [...rows, ['sandbox', `not measured: ${s.unavailable}`]];
  const versus = (sandboxed: Distribution | null, direct: Distribution | null, cmp: { addedMs: number | null; ratio: number | null }) =>
    `sandboxed p50 ${ms(sandboxed?.p50)} (p95 ${ms(sandboxed?.p95)}), direct p50 ${ms(direct?.p50)} (p95 ${ms(direct?.p95)}): +${ms(cmp.addedMs)}, ${x(cmp.ratio)}`;
  return [
    ...rows,
    ['sandbox open', `${dist(s.openMs)}  [first of the run, probing bubblewrap: ${ms(s.firstOpenMs)}]`],
    ['sandbox close', dist(s.closeMs)],
    ['`sh -c true`', versus(s.sandboxedTrueMs, s.plainTrueMs, s.spawn)],
    ['`git status`', versus(s.sandboxedGitStatusMs, s.plainGitStatusMs, s.gitStatus)],
    ['sandbox per session', `${ms(s.perSession.ms)} = ${s.perSession.formula}`],
    [
      '',
      `${pct(s.shareOfSession.alone)} of a session alone's admitted → cleaned up, ${pct(s.shareOfSession.underLoad)} of the median under load (both less the sleep)`,
    ],
    [
      '  measured whole',
      `+${ms(s.sessionSteps.addedMs)}: sandboxed p50 ${ms(s.sessionSteps.sandboxedMs?.p50)}, unsandboxed p50 ${ms(s.sessionSteps.unsandboxedMs?.p50)}, ${x(s.sessionSteps.ratio)}  [open, runAgent, close, open, runChecks, close]`,
    ],
  ];
}

export function formatFleetTable(r: FleetResult): string {
  const f = r.figures;
  const p = r.parameters;
  const rows: [string, string][] = [
    ['workload', `${p.sessions} sessions, ${p.developers} developers, developer cap ${p.developerCap}, org cap ${p.orgCap}`],
    ['agent', `script: write a file, sleep ${p.sleepMs} ms; checks: \`${p.testCommand}\``],
    ['services', `PostgreSQL: ${r.environment.postgres}; Temporal: ${r.environment.temporal}`],
    [
      'machine',
      `${r.environment.cpus} cores (${r.environment.cpuModel}), ${r.environment.memoryGiB} GiB, Node ${r.environment.node}; load average ${r.environment.loadAverageAtStart} at start`,
    ],
    ['', ''],
    ['sessions', `${f.sessions.succeeded} with a PR, ${f.sessions.failed} failed, of ${f.sessions.dispatched}`],
    ['dispatch', `${f.dispatch.seconds.toFixed(1)} s (${f.dispatch.perSecond.toFixed(1)} sessions/s)`],
    ['queued → admitted', dist(f.queuedToAdmittedMs)],
    ...(f.admittedBeforeQueued > 0
      ? ([['', `(${f.admittedBeforeQueued} sessions have ADMITTED dated before QUEUED: see bench/README.md)`]] as [string, string][])
      : []),
    ['admission → start', `${dist(f.admissionToStartMs)}  [workspace prepared]`],
    ['start → agent exit', `${dist(f.phasesMs.agentLessSleep)}  [less the sleep]`],
    ['agent exit → checks', dist(f.phasesMs.checks)],
    ['checks → PR opened', `${dist(f.phasesMs.openPullRequest)}  [commit, push, open]`],
    ['queued → PR', dist(f.queuedToPrMs)],
    [
      'throughput',
      `${f.throughput.sessionsPerMinute?.toFixed(1) ?? '—'} sessions/min (first dispatch to last PR: ${ms(f.throughput.makespanSeconds === null ? null : f.throughput.makespanSeconds * 1000)})`,
    ],
    ['', ''],
    ['fair floor', `${dist(f.floorMs)}  [sh: copy, write, sleep, true, commit, push, remove]`],
    ['  less the sleep', dist(f.floorLessSleepMs)],
    ['admitted → cleaned up', `${dist(f.admittedToCleanedUpMs)}  [less the sleep: the floor's scope]`],
    ['queued → cleaned up', `${dist(f.queuedToCleanedUpMs)}  [less the sleep: dispatch to cleaned up]`],
    [
      '  a session alone',
      `${ms(f.alone.admittedToCleanedUpMs)} admitted → cleaned up, ${ms(f.alone.queuedToCleanedUpMs)} queued → cleaned up  [medians of ${f.alone.n}]`,
    ],
    [
      '  its phases',
      Object.entries(f.alone.phasesMs)
        .map(([name, v]) => `${name} ${ms(v)}`)
        .join(' · '),
    ],
    [
      'ratio to the floor',
      `${x(f.floorRatio.underLoad.admittedToCleanedUp)} (admitted) / ${x(f.floorRatio.underLoad.queuedToCleanedUp)} (queued) under load, ${x(f.floorRatio.alone.admittedToCleanedUp)} / ${x(f.floorRatio.alone.queuedToCleanedUp)} alone  [÷ floor p50, all less the sleep]`,
    ],
    ['', ''],
    ['overhead per session', `${dist(f.overheadMs)}  [admitted → PR opened, less the sleep]`],
    ['  a session alone', `${ms(f.unloadedOverheadMs)}  [median of ${f.alone.n}]`],
    ['bare worktree+spawn', dist(f.baselineMs)],
    ['overhead ratio', `${x(f.overheadRatio.underLoad)} under load, ${x(f.overheadRatio.unloaded)} alone  [median ÷ bare median]`],
    ['', ''],
    ...sandboxRows(r),
    ['', ''],
    ['worker peak memory', `${r.worker.peakRssMiB.toFixed(0)} MiB (VmHWM, start-up included)`],
    [
      '  under load',
      r.worker.peakRssUnderLoadMiB === null ? '—' : `${r.worker.peakRssUnderLoadMiB.toFixed(0)} MiB peak RSS while sessions ran`,
    ],
    ['  idle', r.worker.idleRssMiB === null ? '—' : `${r.worker.idleRssMiB.toFixed(0)} MiB after the warm-up session`],
    [
      'CPU under load',
      `machine ${r.load.machineBusyPercent?.toFixed(0) ?? '—'}% busy over ${r.load.seconds.toFixed(0)} s (${r.environment.cpus} cores)`,
    ],
    ...Object.entries(r.load.cpuSeconds).map(([name, seconds]): [string, string] => [`  ${name}`, `${seconds.toFixed(0)} s CPU`]),
    ['wall time', `${r.wallSeconds.toFixed(0)} s for the whole run`],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  const lines = rows.map(([k, v]) => (k || v ? `${k.padEnd(width)}  ${v}` : ''));
  if (f.sessions.failures.length > 0) {
    lines.push('', 'failures:');
    for (const failure of f.sessions.failures.slice(0, 20)) {
      lines.push(`  ${failure.sessionId} ${failure.status}: ${(failure.reason ?? '(no reason recorded)').split('\n')[0]}`);
    }
    if (f.sessions.failures.length > 20) lines.push(`  … and ${f.sessions.failures.length - 20} more (see the JSON)`);
  }
  return `\nFleet benchmark, ${r.date}\n\n${lines.join('\n')}\n`;
}

export function describeEnvironment(
  services: { postgres: string; temporal: string },
  loadAverageAtStart: number,
): FleetResult['environment'] {
  return {
    cpus: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 1024 ** 3),
    node: process.version,
    ...services,
    loadAverageAtStart: Number(loadAverageAtStart.toFixed(2)),
  };
}

/** Writes `<dir>/fleet-<timestamp>.json`; returns its path. */
export async function writeFleetResult(dir: string, r: FleetResult): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `fleet-${r.date.replace(/[:.]/g, '-')}.json`);
  await writeFile(file, `${JSON.stringify(r, null, 2)}\n`);
  return file;
}
