// How each L4 criterion reads on the page: its name, the METRICS.md term it cites, its value and
// target as text, and the figure its trend line follows. The figures are the server's.
import type { MetricTerm } from '@parallax/metrics';
import type { RouterOutputs } from '~/trpc/react.tsx';

export type Summary = RouterOutputs['evidence']['summary'];
export type Criteria = Summary['current'];
export type CriterionKey = 'unattended' | 'channels' | 'parallel' | 'completion' | 'sla';

export const pct = (v: number | null) => (v === null ? '—' : `${Math.round(v * 1000) / 10}%`);

export interface CriterionView {
  key: CriterionKey;
  number: number;
  title: string;
  /** For narrow columns (the report's matrix). */
  short: string;
  term: MetricTerm;
  value: (c: Criteria) => string;
  detail: (c: Criteria) => string;
  target: (slaTarget: number) => string;
  meets: (c: Criteria) => boolean;
  /** A number for the trend (week by week, and now against before); null: nothing to compare. */
  figure: (c: Criteria) => number | null;
  /** How the figure is shown in a delta. */
  unit: 'share' | 'count';
}

export const CRITERIA: CriterionView[] = [
  {
    key: 'unattended',
    short: 'Unattended',
    number: 1,
    title: 'Unattended work every week',
    term: 'Unattended session',
    value: (c) => `${c.unattended.weeksWithUnattended} of ${c.unattended.weeks} weeks`,
    detail: (c) =>
      `${c.unattended.unattended} unattended of ${c.unattended.finished} finished sessions (${pct(c.unattended.finished ? c.unattended.unattended / c.unattended.finished : null)})`,
    target: () => 'every week',
    meets: (c) => c.unattended.meets,
    figure: (c) => (c.unattended.finished ? c.unattended.unattended / c.unattended.finished : null),
    unit: 'share',
  },
  {
    key: 'channels',
    short: 'Channels',
    number: 2,
    title: 'Invoked from several channels',
    term: 'Channels used',
    value: (c) => `${c.channels.channels.length} channel${c.channels.channels.length === 1 ? '' : 's'}`,
    detail: (c) => (c.channels.channels.length ? c.channels.channels.map(channelName).join(', ') : 'no invocations'),
    target: () => 'at least 2',
    meets: (c) => c.channels.meets,
    figure: (c) => c.channels.channels.length,
    unit: 'count',
  },
  {
    key: 'parallel',
    short: 'Parallel',
    number: 3,
    title: '3–5 sessions in parallel',
    term: 'Criterion 3 (3–5 parallel sessions)',
    value: (c) => pct(c.parallel.share),
    detail: (c) => `${c.parallel.meeting} of ${c.parallel.activeDevelopers} active developers have a median daily max of 3 or more`,
    target: () => 'at least half of active developers',
    meets: (c) => c.parallel.meets,
    figure: (c) => c.parallel.share,
    unit: 'share',
  },
  {
    key: 'completion',
    short: 'No intervention',
    number: 4,
    title: 'Completion without intervention',
    term: 'Completion without intervention rate',
    value: (c) => pct(c.completion.rate),
    detail: (c) => `${c.completion.unassisted} of ${c.completion.finished} finished sessions succeeded with no intervention`,
    target: () => 'above 60%',
    meets: (c) => c.completion.meets,
    figure: (c) => c.completion.rate,
    unit: 'share',
  },
  {
    key: 'sla',
    short: 'PR within SLA',
    number: 5,
    title: 'PR within SLA',
    term: 'PR within SLA rate',
    value: (c) => pct(c.sla.rate),
    detail: (c) =>
      `${c.sla.within} of ${c.sla.counted} in time · ${c.sla.breached} late · ${c.sla.missed} without a PR${c.sla.open ? ` · ${c.sla.open} still open` : ''}`,
    target: (t) => `at least ${Math.round(t * 100)}%`,
    meets: (c) => c.sla.meets,
    figure: (c) => c.sla.rate,
    unit: 'share',
  },
];

const CHANNEL_NAMES: Record<string, string> = {
  WEB: 'Web',
  CLI: 'CLI',
  SLACK: 'Slack',
  PAGERDUTY: 'PagerDuty',
  GITHUB: 'GitHub',
  API: 'API',
  SCHEDULE: 'Schedule',
};
export const channelName = (c: string) => CHANNEL_NAMES[c] ?? c;
export const CHANNELS = Object.keys(CHANNEL_NAMES);

/** "+4.2 pts" / "−1" / "no change", or null when either side has no figure. */
export function delta(now: number | null, before: number | null, unit: 'share' | 'count'): { text: string; sign: number } | null {
  if (now === null || before === null) return null;
  const d = now - before;
  if (Math.abs(d) < 1e-9) return { text: 'no change', sign: 0 };
  const size = unit === 'share' ? `${Math.abs(Math.round(d * 1000) / 10)} pts` : String(Math.abs(d));
  return { text: `${d > 0 ? '+' : '−'}${size}`, sign: Math.sign(d) };
}
