// The fleet's worker as production runs it (temporal/src/worker.ts), in a process of its
// own so its memory is its own: node runs it directly with tsx as a loader (the tsx CLI
// would add a parent process), and /proc/<pid>/status is sampled while it works.
import { startSupervised, type Supervised } from './child-process.ts';
import { readMemory } from './proc.ts';

export interface MemorySample {
  /** performance.now() of the benchmark process. */
  at: number;
  rssMiB: number;
}

export interface BenchWorker {
  process: Supervised;
  /** The kernel's high-water mark of the worker's resident set (VmHWM), in MiB: its peak over its whole life. */
  peakRssMiB(): number;
  /** Resident set samples (every `sampleMs`) since start. */
  samples: MemorySample[];
}

export async function startBenchWorker(options: {
  root: string;
  env: Record<string, string>;
  sampleMs?: number;
  readyTimeoutMs?: number;
}): Promise<BenchWorker> {
  const worker = startSupervised('worker', process.execPath, ['--import', 'tsx', 'temporal/src/worker.ts'], {
    cwd: options.root,
    env: { ...process.env, ...options.env },
    // Running activities drain on SIGTERM for up to the worker's shutdownGraceTime (20 s).
    graceMs: 30_000,
  });
  const samples: MemorySample[] = [];
  let hwm = 0;
  const sample = () => {
    const s = readMemory(worker.pid);
    if (!s) return;
    samples.push({ at: performance.now(), rssMiB: s.rssMiB });
    hwm = Math.max(hwm, s.hwmMiB);
  };
  const timer = setInterval(sample, options.sampleMs ?? 200);
  timer.unref();
  void worker.exited.then(() => clearInterval(timer));
  // The worker bundles the workflow code (webpack) before it polls.
  await worker.waitForLine(/^worker: polling/, options.readyTimeoutMs ?? 180_000);
  sample();
  return {
    process: worker,
    samples,
    peakRssMiB: () => {
      sample();
      return hwm;
    },
  };
}
