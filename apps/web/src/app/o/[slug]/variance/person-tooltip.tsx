'use client';

// The hover card of a person's dot: who (as far as the viewer may know), the multiplier and
// what it is made of, and the baseline flag.
import type { TVariancePerson } from '@parallax/evidence';
import { formatMultiplier } from './factors.ts';

export function personLabel(p: TVariancePerson): string {
  if (p.isYou) return p.name ? `You (${p.name})` : 'You';
  return p.name ?? `Person ${p.key.replace('person-', '#')}`;
}

interface TooltipProps {
  active?: boolean;
  payload?: readonly { payload?: { person?: TVariancePerson } }[];
}

export function PersonTooltip(props: TooltipProps) {
  const person = props.active ? props.payload?.[0]?.payload?.person : undefined;
  if (!person) return null;
  return (
    <div className="card" style={{ padding: '8px 12px', fontSize: 13 }}>
      <strong>{personLabel(person)}</strong>
      <div>Multiplier {formatMultiplier(person.multiplier)}</div>
      <div className="muted">
        {person.meanWeeklyThroughput?.toFixed(1) ?? '—'} PRs merged a week against a baseline of {person.baseline?.toFixed(1) ?? '—'}
      </div>
      {person.isOrgBaseline ? <div className="muted">Baseline: the org's (no single-agent week of their own)</div> : null}
      {person.isOutlier ? <div className="muted">Outlier: beyond 1.5 IQR from the quartiles</div> : null}
    </div>
  );
}
