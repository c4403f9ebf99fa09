// Everything a benchmark starts is registered here and undone in reverse order: at the
// end of the run, on an error, and on Ctrl-C. Each step may also leave a synchronous
// last resort (SIGKILL a process group, remove a directory) for an exit that leaves
// no time to await anything.

interface Step {
  name: string;
  undo: () => Promise<void>;
  /** Runs on a sudden exit when `undo` did not. */
  lastResort?: () => void;
  done: boolean;
}

const steps: Step[] = [];
let running: Promise<void> | null = null;

export function onTeardown(name: string, undo: () => Promise<void>, lastResort?: () => void): void {
  steps.push({ name, undo, lastResort, done: false });
}

/** Undoes every registered step, newest first; a failing step does not stop the others. */
export function teardown(): Promise<void> {
  running ??= (async () => {
    for (const step of [...steps].reverse()) {
      if (step.done) continue;
      try {
        await step.undo();
      } catch (err) {
        console.error(`[bench] teardown: ${step.name}: ${err instanceof Error ? err.message : String(err)}`);
      }
      step.done = true;
    }
  })();
  return running;
}

/** True once teardown has begun: errors after it are the teardown's doing, not the benchmark's. */
export const isTearingDown = (): boolean => running !== null;

let installed = false;

/** Ctrl-C and SIGTERM tear everything down before the process exits. */
export function installSignalHandlers(): void {
  if (installed) return;
  installed = true;
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    process.on(signal, () => {
      console.error(`\n[bench] ${signal}: stopping everything the benchmark started…`);
      void teardown().finally(() => process.exit(code));
    });
  }
  process.on('exit', () => {
    for (const step of [...steps].reverse()) {
      if (step.done) continue;
      try {
        step.lastResort?.();
      } catch {}
    }
  });
}
