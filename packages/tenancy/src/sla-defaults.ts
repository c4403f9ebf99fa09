// METRICS.md "PR within SLA": default minutes from invocation receipt to PR opened.
// Investigation tasks deliver a report, not a PR; their window is the standard one.
export const DEFAULT_SLA_MINUTES = { STANDARD: 30, COMPLEX: 120, INVESTIGATION: 30 } as const;
