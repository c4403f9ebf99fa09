// The sandbox's cost, from the samples of sandbox-cost.ts: pure, so the formula is read
// here and nowhere else.
import { type Distribution, distribution, type SessionSpans } from './figures.ts';

export interface SandboxSamples {
  /** The first open of the run: it also probes bubblewrap, which a worker does once per process. */
  firstOpenMs: number;
  openMs: number[];
  closeMs: number[];
  /** `/bin/sh -c true`, spawn to exit, in the sandbox (until its PID namespace is empty) and directly. */
  sandboxedTrueMs: number[];
  plainTrueMs: number[];
  /** `git status --porcelain` in a session copy, the same two ways. */
  sandboxedGitStatusMs: number[];
  plainGitStatusMs: number[];
  /** A session's two sandboxed steps through the product's code (sandbox-session.ts), in the sandbox and unsandboxed. */
  sessionStepsMs: { sandboxedMs: number[]; unsandboxedMs: number[] };
}

export interface SandboxFigures {
  firstOpenMs: number;
  openMs: Distribution | null;
  closeMs: Distribution | null;
  sandboxedTrueMs: Distribution | null;
  plainTrueMs: Distribution | null;
  sandboxedGitStatusMs: Distribution | null;
  plainGitStatusMs: Distribution | null;
  /** Medians: sandboxed − direct, and sandboxed ÷ direct. */
  spawn: { addedMs: number | null; ratio: number | null };
  gitStatus: { addedMs: number | null; ratio: number | null };
  /**
   * What one session pays for its sandbox, from medians:
   * opens × (open + close) + spawns × (sandboxed `sh -c true` − direct `sh -c true`).
   */
  perSession: { opens: number; spawns: number; ms: number | null; formula: string };
  /** The same cost measured whole: open, runAgent, close, open, runChecks, close; sandboxed − unsandboxed medians. */
  sessionSteps: { sandboxedMs: Distribution | null; unsandboxedMs: Distribution | null; addedMs: number | null; ratio: number | null };
}

export function computeSandboxFigures(samples: SandboxSamples, perSession: { opens: number; spawns: number }): SandboxFigures {
  const open = distribution(samples.openMs);
  const close = distribution(samples.closeMs);
  const sandboxedTrue = distribution(samples.sandboxedTrueMs);
  const plainTrue = distribution(samples.plainTrueMs);
  const sandboxedGit = distribution(samples.sandboxedGitStatusMs);
  const plainGit = distribution(samples.plainGitStatusMs);
  const compare = (sandboxed: Distribution | null, plain: Distribution | null) =>
    sandboxed && plain
      ? { addedMs: sandboxed.p50 - plain.p50, ratio: plain.p50 > 0 ? sandboxed.p50 / plain.p50 : null }
      : { addedMs: null, ratio: null };
  const spawn = compare(sandboxedTrue, plainTrue);
  const stepsSandboxed = distribution(samples.sessionStepsMs.sandboxedMs);
  const stepsPlain = distribution(samples.sessionStepsMs.unsandboxedMs);
  const ms = open && close && spawn.addedMs !== null ? perSession.opens * (open.p50 + close.p50) + perSession.spawns * spawn.addedMs : null;
  return {
    firstOpenMs: samples.firstOpenMs,
    openMs: open,
    closeMs: close,
    sandboxedTrueMs: sandboxedTrue,
    plainTrueMs: plainTrue,
    sandboxedGitStatusMs: sandboxedGit,
    plainGitStatusMs: plainGit,
    spawn,
    gitStatus: compare(sandboxedGit, plainGit),
    sessionSteps: { sandboxedMs: stepsSandboxed, unsandboxedMs: stepsPlain, ...compare(stepsSandboxed, stepsPlain) },
    perSession: {
      ...perSession,
      ms,
      formula: `${perSession.opens} × (open + close) + ${perSession.spawns} × (sandboxed − direct \`sh -c true\`), medians`,
    },
  };
}

/** The per-session sandbox cost as a share of the product's admitted → cleaned up (less the sleep): alone, and the median under load. */
export function sandboxShareOfSession(
  sandbox: SandboxFigures,
  figures: { alone: Pick<SessionSpans, 'admittedToCleanedUpMs'>; admittedToCleanedUpMs: Distribution | null },
): { alone: number | null; underLoad: number | null } {
  const share = (of: number | null | undefined) => (sandbox.perSession.ms !== null && of ? sandbox.perSession.ms / of : null);
  return { alone: share(figures.alone.admittedToCleanedUpMs), underLoad: share(figures.admittedToCleanedUpMs?.p50) };
}
