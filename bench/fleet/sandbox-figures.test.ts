import { describe, expect, it } from 'vitest';
import { computeSandboxFigures, type SandboxSamples, sandboxShareOfSession } from './sandbox-figures.ts';

const samples: SandboxSamples = {
  firstOpenMs: 25,
  openMs: [6, 5, 7],
  closeMs: [1, 2, 1],
  sandboxedTrueMs: [36, 40, 30],
  plainTrueMs: [3, 4, 2],
  sandboxedGitStatusMs: [50, 45, 55],
  plainGitStatusMs: [10, 8, 12],
  sessionStepsMs: { sandboxedMs: [150, 120, 130], unsandboxedMs: [60, 70, 50] },
};

describe('the sandbox cost figures', () => {
  it('compares sandboxed and direct spawns by their medians', () => {
    const figures = computeSandboxFigures(samples, { opens: 2, spawns: 2 });
    expect(figures.firstOpenMs).toBe(25);
    expect(figures.openMs).toMatchObject({ p50: 6, min: 5, max: 7 });
    expect(figures.closeMs).toMatchObject({ p50: 1 });
    expect(figures.spawn).toEqual({ addedMs: 33, ratio: 12 });
    expect(figures.gitStatus).toEqual({ addedMs: 40, ratio: 5 });
    // The product's two steps whole: medians 130 and 60.
    expect(figures.sessionSteps).toMatchObject({ sandboxedMs: { p50: 130 }, unsandboxedMs: { p50: 60 }, addedMs: 70 });
    expect(figures.sessionSteps.ratio).toBeCloseTo(130 / 60);
  });

  it('charges a session opens × (open + close) + spawns × the sandboxed spawn’s extra', () => {
    // 2 × (6 + 1) + 2 × (36 − 3) = 14 + 66
    expect(computeSandboxFigures(samples, { opens: 2, spawns: 2 }).perSession).toMatchObject({ opens: 2, spawns: 2, ms: 80 });
    // 1 × 7 + 3 × 33
    expect(computeSandboxFigures(samples, { opens: 1, spawns: 3 }).perSession.ms).toBe(106);
  });

  it('gives the per-session cost as a share of the product’s session, and nothing where a figure is missing', () => {
    const figures = computeSandboxFigures(samples, { opens: 2, spawns: 2 });
    expect(
      sandboxShareOfSession(figures, {
        alone: { admittedToCleanedUpMs: 400 },
        admittedToCleanedUpMs: null,
      }),
    ).toEqual({ alone: 0.2, underLoad: null });
    const underLoad = { n: 1, p50: 800, p95: 800, p99: 800, mean: 800, min: 800, max: 800 };
    expect(
      sandboxShareOfSession(figures, {
        alone: { admittedToCleanedUpMs: null },
        admittedToCleanedUpMs: underLoad,
      }),
    ).toEqual({ alone: null, underLoad: 0.1 });

    const empty = computeSandboxFigures({ ...samples, openMs: [], plainGitStatusMs: [0] }, { opens: 2, spawns: 2 });
    expect(empty.perSession.ms).toBeNull();
    expect(empty.gitStatus).toEqual({ addedMs: 50, ratio: null });
    expect(sandboxShareOfSession(empty, { alone: { admittedToCleanedUpMs: 400 }, admittedToCleanedUpMs: null })).toEqual({
      alone: null,
      underLoad: null,
    });
  });
});
