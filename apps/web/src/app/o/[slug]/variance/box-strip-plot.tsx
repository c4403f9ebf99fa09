'use client';

// The group's multipliers as a box (quartiles, median, whiskers to the last values inside the
// 1.5-IQR fences) over a strip of dots, one per person the viewer may see.
import type { TVariancePerson, TVarianceView } from '@parallax/evidence';
import { Legend, ReferenceArea, ReferenceLine, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from 'recharts';
import { formatMultiplier } from './factors.ts';
import { PersonTooltip, personLabel } from './person-tooltip.tsx';

interface Dot {
  x: number;
  y: number;
  person: TVariancePerson;
}

type SeriesKey = 'people' | 'flagged' | 'outlier' | 'you';

export const SERIES: Record<SeriesKey, { name: string; fill: string; stroke?: string }> = {
  people: { name: 'Person', fill: '#5c6675' },
  flagged: { name: 'On the org baseline (no single-agent week)', fill: '#fde68a', stroke: '#b7791f' },
  outlier: { name: 'Outlier (beyond 1.5 IQR)', fill: '#c92a2a' },
  you: { name: 'You', fill: '#3b5bdb' },
};
export const SERIES_KEYS = Object.keys(SERIES) as SeriesKey[];

/** Which series a person's dot belongs to: you first, then outlier, then the flag. */
export function seriesOf(p: TVariancePerson): SeriesKey {
  if (p.isYou) return 'you';
  if (p.isOutlier) return 'outlier';
  if (p.isOrgBaseline) return 'flagged';
  return 'people';
}

export function BoxStripPlot(props: { view: TVarianceView; points: TVariancePerson[] }) {
  const { box } = props.view;
  const measured = props.points.filter((p) => p.multiplier !== null);
  // A fixed jitter per position keeps dots apart without moving between renders.
  const dots: Dot[] = measured.map((person, i) => ({ x: person.multiplier!, y: 0.2 + ((i * 0.37) % 0.6), person }));
  const max = Math.max(box.whiskerHigh ?? 0, ...dots.map((d) => d.x), 1);
  // Round ticks (every 0.5×, 1× or 2×) so a reader can place a dot without guessing.
  const step = max <= 4 ? 0.5 : max <= 8 ? 1 : 2;
  const top = Math.ceil((max * 1.05) / step) * step;
  const ticks = Array.from({ length: Math.round(top / step) + 1 }, (_, i) => i * step);
  const domain: [number, number] = [0, top];
  const boxY = { y1: 0.3, y2: 0.7 };
  return (
    <div data-testid="variance-box" role="img" aria-label={`Box plot of ${box.count} multipliers, median ${formatMultiplier(box.median)}`}>
      <ResponsiveContainer width="100%" height={220}>
        <ScatterChart margin={{ top: 10, right: 24, bottom: 24, left: 8 }}>
          <XAxis
            type="number"
            dataKey="x"
            domain={domain}
            ticks={ticks}
            tickFormatter={(v: number) => `${v}×`}
            label={{ value: 'Throughput multiplier (× own single-agent baseline)', position: 'insideBottom', offset: -14 }}
          />
          <YAxis type="number" dataKey="y" domain={[0, 1]} hide />
          {box.q1 !== null && box.q3 !== null ? (
            <ReferenceArea x1={box.q1} x2={box.q3} {...boxY} fill="#edf1fd" stroke="#3b5bdb" fillOpacity={0.8} ifOverflow="extendDomain" />
          ) : null}
          {box.whiskerLow !== null && box.q1 !== null ? (
            <ReferenceLine
              segment={[
                { x: box.whiskerLow, y: 0.5 },
                { x: box.q1, y: 0.5 },
              ]}
              stroke="#3b5bdb"
            />
          ) : null}
          {box.whiskerHigh !== null && box.q3 !== null ? (
            <ReferenceLine
              segment={[
                { x: box.q3, y: 0.5 },
                { x: box.whiskerHigh, y: 0.5 },
              ]}
              stroke="#3b5bdb"
            />
          ) : null}
          {(
            [
              ['low', box.whiskerLow],
              ['high', box.whiskerHigh],
            ] as const
          ).map(([end, x]) =>
            x === null ? null : (
              <ReferenceLine
                key={end}
                segment={[
                  { x, y: 0.4 },
                  { x, y: 0.6 },
                ]}
                stroke="#3b5bdb"
              />
            ),
          )}
          {box.median !== null ? (
            <ReferenceLine
              segment={[
                { x: box.median, y: 0.25 },
                { x: box.median, y: 0.75 },
              ]}
              stroke="#1b2230"
              strokeWidth={3}
              label={{ value: `median ${formatMultiplier(box.median)}`, position: 'top' }}
            />
          ) : null}
          <ReferenceLine
            x={1}
            stroke="#8a93a1"
            strokeDasharray="4 4"
            label={{ value: '1× = baseline', position: 'insideTopLeft', fontSize: 11 }}
          />
          {SERIES_KEYS.map((key) => {
            const data = dots.filter((d) => seriesOf(d.person) === key);
            return data.length === 0 ? null : (
              <Scatter key={key} name={SERIES[key].name} data={data} fill={SERIES[key].fill} stroke={SERIES[key].stroke} strokeWidth={2} />
            );
          })}
          <Tooltip cursor={false} content={<PersonTooltip />} />
          {/* Recharts colours legend text like its series; keep it the page's text colour. */}
          <Legend verticalAlign="top" height={28} formatter={(value: string) => <span style={{ color: '#1b2230' }}>{value}</span>} />
        </ScatterChart>
      </ResponsiveContainer>
      <p className="sr-only">{measured.map((p) => `${personLabel(p)}: ${formatMultiplier(p.multiplier)}`).join('; ')}</p>
    </div>
  );
}
