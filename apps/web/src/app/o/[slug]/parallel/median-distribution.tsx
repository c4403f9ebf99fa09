'use client';

import { Bar, BarChart, CartesianGrid, Cell, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { MetricNote } from '~/components/evidence/metric-note.tsx';
import type { RouterOutputs } from '~/trpc/react.tsx';
import { colourOf } from './colours.ts';
import styles from './parallel.module.css';

type Distribution = RouterOutputs['parallel']['distribution'];

/** The group's distribution of each developer's median daily max, with criterion 3's threshold. */
export function MedianDistribution(props: { data: Distribution | undefined }) {
  const d = props.data;
  // A numeric axis, so the threshold line can stand between two bars.
  const bars = (d?.histogram ?? []).map((b, i) => ({ ...b, x: i + 1 }));
  return (
    <section className="card" aria-label="Criterion 3">
      <div className="card-header">
        <h2>
          Median daily max per developer <MetricNote term="Criterion 3 (3–5 parallel sessions)" />
        </h2>
        {d && d.activeDevelopers > 0 ? (
          <strong data-testid="criterion-3">
            {d.meeting} of {d.activeDevelopers} developers meet criterion 3 ({Math.round((d.share ?? 0) * 100)}%)
          </strong>
        ) : null}
      </div>
      <div className="card-body">
        {!d ? (
          <p className="muted">Loading…</p>
        ) : d.activeDevelopers === 0 ? (
          <div className="empty-state">
            <h3>No sessions in this period</h3>
            <p className="muted">Dispatch from Dispatch or widen the period.</p>
          </div>
        ) : (
          <>
            <p className="muted">
              Each developer's median, over the days they ran an agent, of the most sessions they had running at once. A median of 2.5
              counts as 2. {d.activeDevelopers} of {d.developersInScope} developers in scope were active.
            </p>
            <div style={{ width: '100%', height: 260 }}>
              <ResponsiveContainer>
                <BarChart data={bars} margin={{ top: 16, right: 24, bottom: 24, left: 8 }} barCategoryGap="20%">
                  <CartesianGrid strokeDasharray="3 3" vertical={false} />
                  <XAxis
                    type="number"
                    dataKey="x"
                    domain={[0.5, d.histogram.length + 0.5]}
                    ticks={bars.map((b) => b.x)}
                    tickFormatter={(x: number) => d.histogram[x - 1]?.bucket ?? ''}
                    label={{ value: 'Median daily max concurrency (sessions at once)', position: 'insideBottom', offset: -12 }}
                  />
                  <YAxis allowDecimals={false} label={{ value: 'Developers', angle: -90, position: 'insideLeft' }} />
                  <Tooltip
                    formatter={(value) => [`${value} developers`, 'Median in this bar']}
                    labelFormatter={(b) => `Median daily max ${b}`}
                  />
                  <ReferenceLine
                    // Between the bars of 2 and 3: a median of 2.5 sits in "2", below the threshold.
                    x={d.threshold - 0.5}
                    stroke="#c92a2a"
                    strokeDasharray="4 4"
                    label={{ value: 'criterion 3: ≥ 3', position: 'top', fill: '#c92a2a', fontSize: 12 }}
                  />
                  <Bar dataKey="developers" name="Developers" isAnimationActive={false} barSize={56}>
                    {d.histogram.map((b, i) => (
                      <Cell key={b.bucket} fill={colourOf(i + 1)} stroke="#324fc4" />
                    ))}
                  </Bar>
                </BarChart>
              </ResponsiveContainer>
            </div>
            <div className={styles.legend}>
              <span>
                <span className={styles.swatch} style={{ background: colourOf(2) }} />
                below criterion 3 (median under 3)
              </span>
              <span>
                <span className={styles.swatch} style={{ background: colourOf(3) }} />
                meets it (median 3 or more)
              </span>
              <span>Bars: developers whose median falls in each band.</span>
            </div>
            {d.level !== 'none' && d.developers.length > 0 ? (
              <details>
                <summary>Per developer</summary>
                <table className="table">
                  <thead>
                    <tr>
                      <th>Developer</th>
                      <th>Median daily max</th>
                      <th>Active days</th>
                      <th>Criterion 3</th>
                    </tr>
                  </thead>
                  <tbody>
                    {d.developers.map((r, i) => (
                      <tr key={r.person.key}>
                        <td>{r.person.name ?? `Developer ${i + 1}`}</td>
                        <td>{r.medianDailyMax}</td>
                        <td>{r.activeDays}</td>
                        <td>{r.meets ? 'meets' : 'below'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </details>
            ) : d.developers[0] ? (
              <p>
                Your median daily max: <strong>{d.developers[0].medianDailyMax}</strong> over {d.developers[0].activeDays} active days.
              </p>
            ) : null}
          </>
        )}
      </div>
    </section>
  );
}
