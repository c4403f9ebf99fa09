// METRICS.md, quoted: what each figure on a page means, shown where it is stated (a hover or a
// footnote). Keep in step with METRICS.md; the definitions test checks every term a page cites is here.

export const DEFINITIONS = {
  "Active session": "Active session: an agent session whose agent is running: from `startedAt` (after admission, when the agent process starts) to `endedAt` (terminal state). Queued time is not active time. A session still running counts up to \"now\".",
  "Concurrency of a developer at time t": "Concurrency of a developer at time t: the number of their active sessions at t (interval `[startedAt, endedAt)`).",
  "Daily max concurrency": "Daily max concurrency: the maximum of that count over the day.",
  "Time-weighted mean concurrency": "Time-weighted mean concurrency: the integral of concurrency over the day divided by the time during which it was \u2265 1.",
  "Parallel developer-day": "Parallel developer-day: a day on which daily max concurrency \u2265 3.",
  "Criterion 3 (3\u20135 parallel sessions)": "Criterion 3 (3\u20135 parallel sessions) for a developer over a period: the median, over their active days, of daily max concurrency is \u2265 3. For a team or org: the share of active developers that meet it (shown with the count), and the distribution.",
  "Intervention": "Intervention: a human action on a running session that the agent did not ask for as part of normal completion: a course-correction message, a manual commit on the session's branch while it runs, a restart, a cancel-and-retry, an answer to an agent's blocking question. Reviews after the PR is opened are not interventions.",
  "Finished session": "Finished session: a session in a terminal state (SUCCEEDED, FAILED, CANCELLED, TIMED_OUT), excluding those cancelled while still queued.",
  "Completion without intervention rate": "Completion without intervention rate = sessions SUCCEEDED with zero interventions / finished sessions. Criterion 4 holds when it exceeds 60%.",
  "SLA policy": "SLA policy: minutes allowed from invocation receipt to PR opened, per task type (default: standard 30, complex 120). The policy in force at dispatch time is recorded on the session.",
  "Time to PR": "Time to PR = PR `openedAt` \u2212 invocation `receivedAt` (wall clock, including queueing).",
  "PR within SLA rate": "PR within SLA rate = invocations whose time to PR \u2264 SLA / invocations that should produce a PR and whose SLA window has closed (still-open windows are excluded until they breach or complete). An invocation whose session failed or was cancelled without a PR is a miss once its window closes; one cancelled while still queued, by the person who asked, is left out. Criterion 5 holds at \u2265 90% (configurable).",
  "Channels used": "Channels used by a developer, team or org over a period: distinct channels with at least one invocation. Criterion 2 holds at \u2265 2.",
  "Unattended session": "Unattended session: one started by a schedule or a trigger (PagerDuty, GitHub, Slack from another person), or dispatched and then finished with no human action on it until its PR was opened. Criterion 1 holds when unattended sessions exist in every week of the period (and their share is shown).",
  "Agent-authored PR": "Agent-authored PR: a PR opened by a session.",
  "Merged without synchronous oversight": "Merged without synchronous oversight: an agent-authored PR that was merged and whose session had zero interventions while it ran.",
  "Review latency": "Review latency: PR opened \u2192 first review; merge latency: PR opened \u2192 merged.",
  "Approval provenance": "Approval provenance of a merged agent-authored PR, one of: *steered* (its session had at least one intervention while it ran), *reviewed* (no intervention; a review or approval was recorded between opened and merged), *unreviewed* (neither). Shown as shares of merged agent PRs, with the review latency of the *reviewed* ones.",
  "Agent cost": "Agent cost of a session: the cost its agent reported (for example Claude Code's `total_cost_usd`), or unknown. Cost per merged PR for a period = the reported cost of the sessions that ended in the period / agent PRs merged in the period; always shown with its coverage (the share of those sessions that reported a cost).",
  "Throughput": "Throughput of a developer in a week: agent-authored PRs merged that week (also shown: sessions succeeded).",
  "Baseline": "Baseline: the developer's mean weekly throughput over weeks in which their daily max concurrency never exceeded 1 (their single-agent period), or the org baseline when they have none (flagged as such).",
  "Throughput multiplier": "Throughput multiplier = mean weekly throughput over the period / baseline.",
  "Variance view": "Variance view for a group: count, median, IQR, coefficient of variation (std / mean), outliers (beyond 1.5 IQR), and the rank correlation of the multiplier with mean concurrency, intervention rate, PR-within-SLA rate and task-type mix.",
  "Day": "Time is stored in UTC; a day is a calendar day in the organization's time zone.",
  "Maturity level": "A team or org is L4 for a period when all five criteria hold; otherwise the report names the level below and each criterion that fails, with its value, target and the evidence behind it.",
  "Minimum group size": "Groups smaller than the org's minimum group size (default 5) show no per-person breakdown to roles that may not see individuals.",
} as const;

export type MetricTerm = keyof typeof DEFINITIONS;
