// The sandbox's cost through the product's own code: a session's two sandboxed steps as
// the worker's activities run them (temporal/src/activities/fleet.ts), without Temporal
// or the database: open a sandbox, runAgent (the script agent writing a file), close;
// open, runChecks (`true`), close. The same with the explicit unsandboxed mode
// (PARALLAX_SANDBOX=off) beside it; the difference is what one session pays.
import { createLogSink, runAgent } from '@parallax/fleet/agents';
import { runChecks } from '@parallax/fleet/delivery';
import { type Sandbox, unsandboxed } from '@parallax/sandbox';

const RECIPE = JSON.stringify({ steps: [{ write: { path: 'bench/sandbox-cost.txt', content: 'sandbox cost\n' } }] });

async function sessionSteps(open: () => Promise<Sandbox>, worktree: string): Promise<number> {
  const signal = new AbortController().signal;
  const log = createLogSink({ write: async () => {} });
  const started = performance.now();
  let sandbox = await open();
  try {
    const agent = await runAgent({
      adapter: 'SCRIPT',
      config: {},
      prompt: RECIPE,
      worktree,
      branch: 'parallax/sandbox-cost',
      sandbox,
      log,
      signal,
    });
    if (!agent.ok) throw new Error(`the script agent failed in ${sandbox.mode}: ${agent.failure ?? agent.exitCode}\n${log.tail(10)}`);
  } finally {
    await sandbox.close();
  }
  sandbox = await open();
  try {
    const checks = await runChecks({ command: 'true', worktree, env: {}, sandbox, signal, onOutput: () => {} });
    if (!checks.passed) throw new Error(`the checks failed in ${sandbox.mode}: ${checks.outputTail}`);
  } finally {
    await sandbox.close();
  }
  const elapsed = performance.now() - started;
  await log.close();
  return elapsed;
}

/** `iterations` of the two steps each way, alternating, so both see the same machine. */
export async function timeSessionSteps(options: {
  openSandbox: () => Promise<Sandbox>;
  sandboxedWorktree: string;
  plainWorktree: string;
  iterations: number;
}): Promise<{ sandboxedMs: number[]; unsandboxedMs: number[] }> {
  const sandboxedMs: number[] = [];
  const unsandboxedMs: number[] = [];
  for (let k = 0; k < options.iterations; k++) {
    sandboxedMs.push(await sessionSteps(options.openSandbox, options.sandboxedWorktree));
    unsandboxedMs.push(await sessionSteps(async () => unsandboxed(), options.plainWorktree));
  }
  return { sandboxedMs, unsandboxedMs };
}
