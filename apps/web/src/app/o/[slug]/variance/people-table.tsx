'use client';

// The people behind the dots, as far as the viewer may see them: named for roles that may see
// individuals, anonymous otherwise; the viewer's own row is always theirs to read.
import type { TVariancePerson } from '@parallax/evidence';
import { MetricNote } from '~/components/evidence/metric-note.tsx';
import { FACTOR_ORDER, FACTORS, formatMultiplier } from './factors.ts';
import { personLabel } from './person-tooltip.tsx';

const fmt = (v: number | null, f: (x: number) => string) => (v === null ? '—' : f(v));

export function PeopleTable(props: { people: TVariancePerson[] }) {
  return (
    <div className="table-scroll">
      <table className="table" data-testid="variance-people">
        <thead>
          <tr>
            <th>Person</th>
            <th>
              Multiplier <MetricNote term="Throughput multiplier" />
            </th>
            <th>
              PRs merged / week <MetricNote term="Throughput" />
            </th>
            <th>Sessions succeeded / week</th>
            <th>
              Baseline <MetricNote term="Baseline" />
            </th>
            {FACTOR_ORDER.map((f) => (
              <th key={f}>
                {FACTORS[f].title} <MetricNote term={FACTORS[f].term} />
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {[...props.people].sort(byMultiplierDesc).map((p) => (
            <tr key={p.key}>
              <td>
                {personLabel(p)} {p.isOutlier ? <span className="badge badge-danger">outlier</span> : null}
                {!p.isActive ? <span className="badge">no agent work in the period</span> : null}
              </td>
              <td>{formatMultiplier(p.multiplier)}</td>
              <td>{fmt(p.meanWeeklyThroughput, (v) => v.toFixed(1))}</td>
              <td>{fmt(p.meanWeeklySucceeded, (v) => v.toFixed(1))}</td>
              <td>
                {fmt(p.baseline, (v) => v.toFixed(1))}{' '}
                {p.isOrgBaseline ? (
                  <span className="badge badge-warning" title="No single-agent week of their own: the org baseline is used">
                    org baseline
                  </span>
                ) : (
                  <span className="faint" title="Weeks in which they ran one agent at a time">
                    · {p.baselineWeeks} wk
                  </span>
                )}
              </td>
              {FACTOR_ORDER.map((f) => (
                <td key={f}>{fmt(p[f], FACTORS[f].format)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Highest multiplier first; people without one last. */
function byMultiplierDesc(a: TVariancePerson, b: TVariancePerson): number {
  return (b.multiplier ?? -1) - (a.multiplier ?? -1);
}
