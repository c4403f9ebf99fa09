// Readings from Linux's /proc: a process's memory and CPU time, and the machine's CPU
// time. Null where there is no /proc (or the process is gone).
import { readdirSync, readFileSync } from 'node:fs';

const MiB = 1024 * 1024;
// USER_HZ: 100 on every Linux architecture Node runs on.
const TICKS_PER_SECOND = 100;

function read(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/** VmRSS (now) and VmHWM (peak over the process's life), in MiB. */
export function readMemory(pid: number): { rssMiB: number; hwmMiB: number } | null {
  const status = read(`/proc/${pid}/status`);
  if (!status) return null;
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { rssMiB: (kib('VmRSS') * 1024) / MiB, hwmMiB: (kib('VmHWM') * 1024) / MiB };
}

/** CPU seconds of the process itself and of the children it has waited for (git, shells, agents). */
export function readCpuSeconds(pid: number): { self: number; children: number } | null {
  const stat = read(`/proc/${pid}/stat`);
  if (!stat) return null;
  // Fields after the command name, which is in parentheses and may contain spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = (k: number) => Number(fields[k - 3]);
  return { self: (ticks(14) + ticks(15)) / TICKS_PER_SECOND, children: (ticks(16) + ticks(17)) / TICKS_PER_SECOND };
}

/** The machine's busy and total CPU time so far, summed over all cores, in ticks. */
export function readMachineCpu(): { busy: number; total: number } | null {
  const line = read('/proc/stat')?.split('\n')[0];
  if (!line?.startsWith('cpu ')) return null;
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number) as number[];
  const busy = user! + nice! + system! + irq! + softirq! + steal!;
  return { busy, total: busy + idle! + iowait! };
}

/** Pids of the processes whose command line contains `text` (PostgreSQL names a backend's database there). */
export function findPids(text: string): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  return entries
    .filter((e) => /^\d+$/.test(e))
    .map(Number)
    .filter((pid) => read(`/proc/${pid}/cmdline`)?.replaceAll('\0', ' ').includes(text));
}
