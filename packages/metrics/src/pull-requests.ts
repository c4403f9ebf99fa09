// METRICS.md "Pull requests" and "Cost": merged without synchronous oversight, review and
// merge latency, how each merged agent PR was approved, and what the agents cost per merged PR.

export interface AgentPullRequest {
  openedAt: Date;
  mergedAt: Date | null;
  /** The first review or approval recorded on it, if any. */
  firstReviewAt: Date | null;
  /** Interventions on its session while it ran. */
  interventions: number;
}

export type Provenance = 'steered' | 'reviewed' | 'unreviewed';

/** How a merged agent PR was approved: steered while it ran, reviewed between opened and merged, or neither. */
export function approvalProvenance(pr: AgentPullRequest): Provenance | null {
  if (!pr.mergedAt) return null;
  if (pr.interventions > 0) return 'steered';
  const reviewed = pr.firstReviewAt && pr.firstReviewAt >= pr.openedAt && pr.firstReviewAt <= pr.mergedAt;
  return reviewed ? 'reviewed' : 'unreviewed';
}

/** Merged, and its session had no intervention while it ran. */
export const mergedWithoutSynchronousOversight = (pr: AgentPullRequest) => pr.mergedAt !== null && pr.interventions === 0;

export const reviewLatencyMs = (pr: AgentPullRequest) => (pr.firstReviewAt ? pr.firstReviewAt.getTime() - pr.openedAt.getTime() : null);
export const mergeLatencyMs = (pr: AgentPullRequest) => (pr.mergedAt ? pr.mergedAt.getTime() - pr.openedAt.getTime() : null);

export interface ProvenanceShares {
  merged: number;
  steered: number;
  reviewed: number;
  unreviewed: number;
  /** Review latency of the reviewed ones, ms. */
  reviewLatenciesMs: number[];
}

export function provenanceShares(prs: readonly AgentPullRequest[]): ProvenanceShares {
  const out: ProvenanceShares = { merged: 0, steered: 0, reviewed: 0, unreviewed: 0, reviewLatenciesMs: [] };
  for (const pr of prs) {
    const p = approvalProvenance(pr);
    if (!p) continue;
    out.merged++;
    out[p]++;
    if (p === 'reviewed') out.reviewLatenciesMs.push(reviewLatencyMs(pr)!);
  }
  return out;
}

export interface CostPerMergedPr {
  /** Reported cost of the sessions that ended in the period / agent PRs merged in it; null without a merge or a report. */
  usdPerMergedPr: number | null;
  /** Share of those sessions that reported a cost; null without sessions. */
  coverage: number | null;
  reportedUsd: number;
}

export function costPerMergedPr(sessionCostsUsd: readonly (number | null)[], mergedPrs: number): CostPerMergedPr {
  const reported = sessionCostsUsd.filter((c): c is number => c !== null);
  const reportedUsd = reported.reduce((a, b) => a + b, 0);
  return {
    usdPerMergedPr: mergedPrs > 0 && reported.length > 0 ? reportedUsd / mergedPrs : null,
    coverage: sessionCostsUsd.length > 0 ? reported.length / sessionCostsUsd.length : null,
    reportedUsd,
  };
}
