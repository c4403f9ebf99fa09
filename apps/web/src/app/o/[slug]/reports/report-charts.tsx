'use client';

// The report's charts (Recharts): one group's criteria week by week against their targets, sized
// to fit two across an A4 page. Weeks with nothing to count are gaps, not zeros. Every chart
// root carries .report-chart, and a drawn one an <svg>: the print view waits for both.
import { COMPLETION_TARGET, PARALLEL_GROUP_TARGET } from '@parallax/metrics';
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { PartialWeeksNote, weekDot } from '~/components/evidence/week-marks.tsx';
import { type Period, partOfWeekText, shortWeek, weekTick } from '~/components/evidence/weeks.ts';
import type { RouterOutputs } from '~/trpc/react.tsx';
import { pct } from '../evidence/criteria.ts';

type Week = RouterOutputs['report']['maturity']['org']['weeks'][number];

const HEIGHT = 210;
const BLUE = '#3b5bdb';
const GREEN = '#2b8a3e';
const PURPLE = '#9c36b5';

const percentAxis = (v: number) => `${Math.round(v * 100)}%`;

interface Series {
  key: string;
  name: string;
  color: string;
  target: number;
  value: (w: Week) => number | null;
}

function RateChart({
  weeks,
  period,
  series,
  empty,
  title,
}: {
  weeks: Week[];
  period: Period;
  series: Series[];
  empty: string;
  title: string;
}) {
  const data = weeks.map((w) => ({
    week: w.week,
    part: partOfWeekText(w.week, period),
    ...Object.fromEntries(series.map((s) => [s.key, s.value(w)])),
  }));
  const drawn = data.filter((d) => series.some((s) => d[s.key as keyof typeof d] !== null)).length;
  return (
    <figure className="report-chart" aria-label={title}>
      <figcaption>{title}</figcaption>
      {drawn === 0 ? (
        <p className="empty">{empty}</p>
      ) : (
        <ResponsiveContainer width="100%" height={HEIGHT} initialDimension={{ width: 330, height: HEIGHT }}>
          <LineChart data={data} margin={{ top: 8, right: 12, bottom: 4, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="week" tickFormatter={weekTick(period)} fontSize={10} minTickGap={12} />
            <YAxis
              domain={[0, 1]}
              ticks={[0, 0.25, 0.5, 0.75, 1]}
              tickFormatter={percentAxis}
              fontSize={10}
              width={52}
              label={{ value: 'share of the week', angle: -90, position: 'insideLeft', fontSize: 10, dx: 4, dy: 40 }}
            />
            <Tooltip
              labelFormatter={(w) => [`Week of ${shortWeek(String(w))}`, partOfWeekText(String(w), period)].filter(Boolean).join(' · ')}
              formatter={(value, key) => [pct(value as number | null), series.find((s) => s.key === key)?.name ?? key]}
            />
            <Legend
              formatter={(key) => {
                const s = series.find((x) => x.key === key);
                return s ? `${s.name} (target ${percentAxis(s.target)}, dashed)` : key;
              }}
              wrapperStyle={{ fontSize: 10 }}
            />
            {series.map((s) => (
              <ReferenceLine key={`${s.key}-target`} y={s.target} stroke={s.color} strokeDasharray="5 4" strokeOpacity={0.7} />
            ))}
            {series.map((s) => (
              <Line
                key={s.key}
                dataKey={s.key}
                name={s.key}
                type="linear"
                stroke={s.color}
                strokeWidth={2}
                dot={weekDot(s.color, 2.5)}
                connectNulls={false}
                isAnimationActive={false}
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      )}
    </figure>
  );
}

/** Criteria 4 and 5, and criterion 3, week by week for one group. */
export function GroupCharts({ weeks, slaTarget, period }: { weeks: Week[]; slaTarget: number; period: Period }) {
  return (
    <div className="report-charts">
      <RateChart
        period={period}
        title="4. Completion without intervention and 5. PR within SLA, by week"
        weeks={weeks}
        empty="No finished session and no closed SLA window in this period: the chart fills in as agents run."
        series={[
          { key: 'completion', name: 'No intervention', color: BLUE, target: COMPLETION_TARGET, value: (w) => w.completion.rate },
          { key: 'sla', name: 'PR within SLA', color: GREEN, target: slaTarget, value: (w) => w.sla.rate },
        ]}
      />
      <RateChart
        period={period}
        title="3. Active developers at 3+ parallel sessions, by week"
        weeks={weeks}
        empty="No active developer in this period: the chart fills in once agents run."
        series={[
          { key: 'parallel', name: 'At 3+ in parallel', color: PURPLE, target: PARALLEL_GROUP_TARGET, value: (w) => w.parallel.share },
        ]}
      />
      <PartialWeeksNote weeks={weeks.map((w) => w.week)} period={period} />
    </div>
  );
}
