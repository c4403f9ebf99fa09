// Pull-request figures and cost on hand-computed fixtures.
import { describe, expect, it } from 'vitest';
import {
  type AgentPullRequest,
  approvalProvenance,
  costPerMergedPr,
  mergedWithoutSynchronousOversight,
  mergeLatencyMs,
  provenanceShares,
  reviewLatencyMs,
} from './pull-requests.ts';

const MIN = 60_000;
const opened = new Date('2026-05-04T10:00:00Z');
const pr = (o: { merged?: number; review?: number; interventions?: number }): AgentPullRequest => ({
  openedAt: opened,
  mergedAt: o.merged === undefined ? null : new Date(opened.getTime() + o.merged * MIN),
  firstReviewAt: o.review === undefined ? null : new Date(opened.getTime() + o.review * MIN),
  interventions: o.interventions ?? 0,
});

describe('approval provenance', () => {
  it('is steered with an intervention, reviewed with a review before the merge, else unreviewed', () => {
    expect(approvalProvenance(pr({ merged: 60, review: 10, interventions: 1 }))).toBe('steered');
    expect(approvalProvenance(pr({ merged: 60, review: 10 }))).toBe('reviewed');
    expect(approvalProvenance(pr({ merged: 60, review: 90 }))).toBe('unreviewed'); // reviewed after it was merged
    expect(approvalProvenance(pr({ merged: 60 }))).toBe('unreviewed');
    expect(approvalProvenance(pr({ review: 5 }))).toBeNull(); // not merged
  });

  it('gives shares over merged agent PRs with the review latency of the reviewed ones', () => {
    const prs = [
      pr({ merged: 60, review: 10 }),
      pr({ merged: 30, review: 20 }),
      pr({ merged: 5 }),
      pr({ merged: 9, interventions: 2 }),
      pr({}),
    ];
    expect(provenanceShares(prs)).toEqual({ merged: 4, steered: 1, reviewed: 2, unreviewed: 1, reviewLatenciesMs: [10 * MIN, 20 * MIN] });
  });

  it('tells merged without synchronous oversight, and the latencies', () => {
    expect(mergedWithoutSynchronousOversight(pr({ merged: 5 }))).toBe(true);
    expect(mergedWithoutSynchronousOversight(pr({ merged: 5, interventions: 1 }))).toBe(false);
    expect(mergedWithoutSynchronousOversight(pr({}))).toBe(false);
    expect(reviewLatencyMs(pr({ review: 7 }))).toBe(7 * MIN);
    expect(mergeLatencyMs(pr({ merged: 42 }))).toBe(42 * MIN);
    expect(mergeLatencyMs(pr({}))).toBeNull();
  });
});

describe('cost per merged PR', () => {
  it('is the reported cost over merged PRs, with its coverage', () => {
    // $1.50 + $0.50 reported by 2 of 4 sessions, 4 PRs merged: $0.50 each, 50% coverage.
    expect(costPerMergedPr([1.5, null, 0.5, null], 4)).toEqual({ usdPerMergedPr: 0.5, coverage: 0.5, reportedUsd: 2 });
    expect(costPerMergedPr([1.5], 0)).toMatchObject({ usdPerMergedPr: null, coverage: 1 });
    expect(costPerMergedPr([null, null], 3)).toMatchObject({ usdPerMergedPr: null, coverage: 0 });
    expect(costPerMergedPr([], 3)).toMatchObject({ usdPerMergedPr: null, coverage: null });
  });
});
