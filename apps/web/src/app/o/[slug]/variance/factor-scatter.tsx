'use client';

// One factor against the multiplier, one dot per visible person, with the group's Spearman rho
// (computed over the whole group, even when the dots are hidden) and its reading in words.
import type { TVarianceFactor, TVariancePerson } from '@parallax/evidence';
import { CartesianGrid, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from 'recharts';
import { MetricNote } from '~/components/evidence/metric-note.tsx';
import { SERIES, SERIES_KEYS, seriesOf } from './box-strip-plot.tsx';
import { FACTORS, readCorrelation } from './factors.ts';
import { PersonTooltip } from './person-tooltip.tsx';

export function FactorScatter(props: { factor: TVarianceFactor; rho: number | null; pairs: number; points: TVariancePerson[] }) {
  const label = FACTORS[props.factor];
  const dots = props.points
    .filter((p) => p.multiplier !== null && p[props.factor] !== null)
    .map((person) => ({ x: person[props.factor]!, y: person.multiplier!, person }));
  const isRate = props.factor !== 'meanConcurrency';
  return (
    <section className="card" data-testid={`scatter-${props.factor}`} aria-label={`Multiplier against ${label.noun}`}>
      <div className="card-header">
        <div>
          <h3 style={{ margin: 0, fontSize: 15 }}>
            {label.title} <MetricNote term={label.term} />
          </h3>
          <span className="muted">
            Spearman rho {props.rho === null ? '—' : props.rho.toFixed(2)} over {props.pairs} people <MetricNote term="Variance view" />
          </span>
        </div>
      </div>
      <div className="card-body">
        <ResponsiveContainer width="100%" height={220}>
          <ScatterChart margin={{ top: 8, right: 16, bottom: 24, left: 4 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis
              type="number"
              dataKey="x"
              domain={isRate ? [0, 1] : [0, 'auto']}
              tickFormatter={label.format}
              label={{ value: label.title, position: 'insideBottom', offset: -14 }}
            />
            <YAxis
              type="number"
              dataKey="y"
              domain={[0, 'auto']}
              tickFormatter={(v: number) => `${v}×`}
              label={{ value: 'Multiplier', angle: -90, position: 'insideLeft' }}
            />
            {SERIES_KEYS.map((key) => {
              const data = dots.filter((d) => seriesOf(d.person) === key);
              return data.length === 0 ? null : (
                <Scatter
                  key={key}
                  name={SERIES[key].name}
                  data={data}
                  fill={SERIES[key].fill}
                  stroke={SERIES[key].stroke}
                  strokeWidth={2}
                />
              );
            })}
            <Tooltip cursor={{ strokeDasharray: '3 3' }} content={<PersonTooltip />} />
          </ScatterChart>
        </ResponsiveContainer>
        {dots.length === 0 ? (
          <p className="muted">No points to show for this group; the rank correlation still covers everyone in it.</p>
        ) : null}
        <p data-testid={`reading-${props.factor}`}>{readCorrelation(props.factor, props.rho, props.pairs)}</p>
      </div>
    </section>
  );
}
