// Who used the CPU during a stretch of a run: named components (a process and the
// children it waited for, or every process whose command line names something), the
// benchmark itself, and the rest of the machine, which on a shared machine is other
// people's work.
import { findPids, readCpuSeconds, readMachineCpu } from './proc.ts';

export type Component = { name: string; pid: number } | { name: string; commandLineIncludes: string };

export interface CpuAccount {
  seconds: number;
  /** Share of all cores' time the machine was busy. */
  machineBusyPercent: number | null;
  /** CPU seconds per component, then "benchmark" and "rest of the machine". */
  cpuSeconds: Record<string, number>;
}

const TICKS_PER_SECOND = 100;

function cpuOf(component: Component): Map<number, number> {
  const pids = 'pid' in component ? [component.pid] : findPids(component.commandLineIncludes);
  const byPid = new Map<number, number>();
  for (const pid of pids) {
    const cpu = readCpuSeconds(pid);
    if (cpu) byPid.set(pid, cpu.self + cpu.children);
  }
  return byPid;
}

/** Starts counting now; `finish()` returns what each used since. A process that ended meanwhile counts as far as last seen. */
export function startCpuAccount(components: Component[]): { sample(): void; finish(): CpuAccount } {
  const started = performance.now();
  const machineBefore = readMachineCpu();
  const benchBefore = process.cpuUsage();
  const first = components.map(cpuOf);
  const last = components.map(cpuOf);
  const sample = () => {
    components.forEach((component, k) => {
      for (const [pid, seconds] of cpuOf(component)) last[k]!.set(pid, seconds);
    });
  };
  return {
    sample,
    finish() {
      sample();
      const machineAfter = readMachineCpu();
      const bench = process.cpuUsage(benchBefore);
      const cpuSeconds: Record<string, number> = {};
      components.forEach((component, k) => {
        let total = 0;
        for (const [pid, seconds] of last[k]!) total += seconds - (first[k]!.get(pid) ?? 0);
        cpuSeconds[component.name] = total;
      });
      cpuSeconds.benchmark = (bench.user + bench.system) / 1e6;
      let machineBusyPercent: number | null = null;
      if (machineBefore && machineAfter) {
        const busy = (machineAfter.busy - machineBefore.busy) / TICKS_PER_SECOND;
        const total = (machineAfter.total - machineBefore.total) / TICKS_PER_SECOND;
        machineBusyPercent = (100 * busy) / Math.max(total, 1e-9);
        const counted = Object.values(cpuSeconds).reduce((a, b) => a + b, 0);
        cpuSeconds['rest of the machine'] = Math.max(0, busy - counted);
      }
      return { seconds: (performance.now() - started) / 1000, machineBusyPercent, cpuSeconds };
    },
  };
}
