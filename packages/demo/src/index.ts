// @parallax/demo: generated history at the scale of a real org, in demo orgs of its own (issue 9).
export { type GenerateHistoryInput, generateHistory, type HistoryResult } from './generate-history.ts';
export { DEMO_EMAIL_DOMAIN, RefusedError } from './org.ts';
export { type HistoryOptions, parseHistoryArgs, type THistoryOptions, UsageError } from './options.ts';
