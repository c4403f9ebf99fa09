'use client';

// The Evidence page's charts (Recharts): weekly trends with their target, channels over time,
// and how merged PRs were approved. Every axis says its unit; a week with nothing counted is a gap
// in a rate's line, never 0 %; a rate is the primary series, the counts behind it quieter.
import {
  Bar,
  BarChart,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { weekDot } from '~/components/evidence/week-marks.tsx';
import { type Period, partOfWeekText, shortWeek, weekTick } from '~/components/evidence/weeks.ts';
import { CHANNELS, channelName, pct, type Summary } from './criteria.ts';

const COLORS = ['#3b5bdb', '#2b8a3e', '#e8590c', '#9c36b5', '#0b7285', '#c92a2a', '#5c6675'];
const percentAxis = (v: number) => `${Math.round(v * 100)}%`;
/** Legend labels in the text colour: a pale series' own colour is unreadable as text. */
const legendText = (label: unknown) => <span style={{ color: '#495057' }}>{String(label)}</span>;

export function Sparkline({ points, unit }: { points: { week: string; value: number | null }[]; unit: 'share' | 'count' }) {
  if (points.filter((p) => p.value !== null).length < 2) return <div className="sparkline sparkline-empty">too few weeks for a trend</div>;
  return (
    <div className="sparkline" aria-hidden>
      <ResponsiveContainer width="100%" height={36}>
        <LineChart data={points} margin={{ top: 4, right: 2, bottom: 2, left: 2 }}>
          <YAxis hide domain={unit === 'share' ? [0, 1] : ['auto', 'auto']} />
          <Line
            type="monotone"
            dataKey="value"
            stroke="#3b5bdb"
            strokeWidth={1.5}
            dot={false}
            connectNulls={false}
            isAnimationActive={false}
          />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}

/** Invocations per week by channel, stacked; every week of the period is on the axis, an empty one as no bar. */
export function ChannelsChart({ rows, weeks, period }: { rows: Summary['channelsByWeek']; weeks: string[]; period: Period }) {
  if (rows.length === 0) return <p className="empty">No invocations in this period: dispatch a task from any channel to see it here.</p>;
  const used = CHANNELS.filter((c) => rows.some((r) => r.channel === c));
  const data = [...new Set([...weeks, ...rows.map((r) => r.week)])].sort().map((week) => ({
    week,
    ...Object.fromEntries(used.map((c) => [c, rows.find((r) => r.week === week && r.channel === c)?.invocations ?? 0])),
  }));
  const weekTotal = (week: string) => rows.filter((r) => r.week === week).reduce((a, r) => a + r.invocations, 0);
  return (
    <ResponsiveContainer width="100%" height={260}>
      <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="week" tickFormatter={weekTick(period)} fontSize={11} />
        <YAxis allowDecimals={false} fontSize={11} label={{ value: 'invocations', angle: -90, position: 'insideLeft', fontSize: 11 }} />
        <Tooltip
          content={({ active, label }) => {
            if (!active || label === undefined) return null;
            const week = String(label);
            const counts = rows.filter((r) => r.week === week).sort((a, b) => b.invocations - a.invocations);
            const part = partOfWeekText(week, period);
            return (
              <div className="card chart-tooltip" style={{ padding: '6px 10px', fontSize: 12, maxWidth: 260 }}>
                <strong>
                  Week of {shortWeek(week)}: {weekTotal(week)} invocations
                </strong>
                <div className="muted" style={{ display: 'flex', flexWrap: 'wrap', columnGap: 10 }}>
                  {counts.length === 0
                    ? 'none'
                    : counts.map((r) => (
                        <span key={r.channel} style={{ whiteSpace: 'nowrap' }}>
                          <span style={{ color: COLORS[used.indexOf(r.channel as (typeof used)[number]) % COLORS.length] }}>■</span>{' '}
                          {channelName(r.channel)} {r.invocations}
                        </span>
                      ))}
                </div>
                {part ? <div className="muted">{part}</div> : null}
              </div>
            );
          }}
        />
        <Legend
          formatter={(c) => legendText(channelName(String(c)))}
          itemSorter={(item) => used.indexOf(String(item.dataKey) as (typeof used)[number])}
        />
        {used.map((c, i) => (
          <Bar key={c} dataKey={c} name={c} stackId="channels" fill={COLORS[i % COLORS.length]} isAnimationActive={false} />
        ))}
      </BarChart>
    </ResponsiveContainer>
  );
}

type Week = Summary['weeks'][number];

interface WeeklyCount {
  key: string;
  label: string;
  color: string;
  value: (w: Week) => number;
}

/** PR within SLA week by week: the rate against its target, the week's outcomes beneath it. */
export function SlaWeeklyChart({ weeks, target, period }: { weeks: Week[]; target: number; period: Period }) {
  return (
    <WeeklyRateChart
      weeks={weeks}
      period={period}
      target={target}
      name="Within SLA"
      unit="invocations"
      rate={(w) => w.sla.rate}
      counts={[
        { key: 'within', label: 'PR in time', color: '#91a7ff', value: (w) => w.sla.within },
        { key: 'breached', label: 'PR late', color: '#ffa94d', value: (w) => w.sla.breached },
        { key: 'missed', label: 'No PR', color: '#ff8787', value: (w) => w.sla.missed },
      ]}
      note={(w) => (w.sla.open > 0 ? `${w.sla.open} still open (not counted yet)` : null)}
      empty="No invocation owed a PR had its SLA window close in this period: dispatch a standard or complex task (investigations owe no PR), or choose a longer period."
    />
  );
}

/** Completion without intervention week by week: the rate against 60%, the week's finished sessions beneath it. */
export function CompletionWeeklyChart({ weeks, period }: { weeks: Week[]; period: Period }) {
  return (
    <WeeklyRateChart
      weeks={weeks}
      period={period}
      target={0.6}
      name="Without intervention"
      unit="sessions"
      rate={(w) => w.completion.rate}
      counts={[
        { key: 'unassisted', label: 'Succeeded unassisted', color: '#8ce99a', value: (w) => w.completion.unassisted },
        {
          key: 'assisted',
          label: 'Intervened or failed',
          color: '#ffa8a8',
          value: (w) => w.completion.finished - w.completion.unassisted,
        },
      ]}
      note={() => null}
      empty="No session finished in this period: dispatch a task, or choose a longer period or a wider scope."
    />
  );
}

/**
 * A weekly rate as the primary series (0–100 %, target as a dashed line) over the week's counts as
 * quiet stacked bars on their own right axis, scaled to the lower part of the chart so they never
 * cover the line. A week with nothing counted has no rate: a gap in the line, not 0 %.
 */
function WeeklyRateChart({
  weeks,
  period,
  target,
  name,
  unit,
  rate,
  counts,
  note,
  empty,
}: {
  weeks: Week[];
  period: Period;
  target: number;
  name: string;
  unit: string;
  rate: (w: Week) => number | null;
  counts: WeeklyCount[];
  note: (w: Week) => string | null;
  empty: string;
}) {
  const data = weeks.map((w) => ({
    week: w.week,
    rate: rate(w),
    total: counts.reduce((a, c) => a + c.value(w), 0),
    note: note(w),
    part: partOfWeekText(w.week, period),
    ...Object.fromEntries(counts.map((c) => [c.key, c.value(w)])),
  }));
  if (data.every((d) => d.rate === null)) return <p className="empty">{empty}</p>;
  const most = Math.max(1, ...data.map((d) => d.total));
  const order = ['rate', ...counts.map((c) => c.key)];
  return (
    <ResponsiveContainer width="100%" height={260}>
      <ComposedChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="week" tickFormatter={weekTick(period)} fontSize={11} />
        <YAxis yAxisId="rate" domain={[0, 1]} ticks={[0, 0.25, 0.5, 0.75, 1]} tickFormatter={percentAxis} fontSize={11} />
        {/* Three times the busiest week: the bars stay in the lower third, under the rate. */}
        <YAxis
          yAxisId="counts"
          orientation="right"
          domain={[0, most * 3]}
          ticks={[0, Math.round(most / 2), most]}
          allowDecimals={false}
          fontSize={10}
          tick={{ fill: '#868e96' }}
          stroke="#ced4da"
          label={{ value: `${unit} / week`, angle: 90, position: 'insideBottomRight', offset: 12, fontSize: 10, fill: '#868e96' }}
        />
        <Tooltip
          content={({ active, payload }) => {
            const d = active ? (payload?.[0]?.payload as (typeof data)[number] | undefined) : undefined;
            if (!d) return null;
            const row = d as unknown as Record<string, number>;
            return (
              <div className="card chart-tooltip" style={{ padding: '8px 12px', fontSize: 13 }}>
                <strong>Week of {shortWeek(d.week)}</strong>
                <div>
                  {name}: {d.rate === null ? 'nothing counted' : `${pct(d.rate)} of ${d.total} ${unit}`}
                </div>
                {counts.map((c) => (
                  <div key={c.key} className="muted">
                    <span style={{ color: c.color }}>■</span> {c.label}: {row[c.key]}
                  </div>
                ))}
                {d.note ? <div className="muted">{d.note}</div> : null}
                {d.part ? <div className="muted">{d.part}</div> : null}
              </div>
            );
          }}
        />
        <Legend itemSorter={(item) => order.indexOf(String(item.dataKey))} formatter={legendText} />
        {counts.map((c) => (
          <Bar
            key={c.key}
            name={c.label}
            yAxisId="counts"
            dataKey={c.key}
            stackId="counts"
            fill={c.color}
            fillOpacity={0.55}
            maxBarSize={28}
            isAnimationActive={false}
          />
        ))}
        <ReferenceLine
          yAxisId="rate"
          y={target}
          stroke="#c92a2a"
          strokeDasharray="4 4"
          label={{ value: `target ${percentAxis(target)}`, fontSize: 11, position: 'insideTopRight', fill: '#c92a2a' }}
        />
        <Line
          yAxisId="rate"
          type="monotone"
          dataKey="rate"
          name={`${name} (rate)`}
          stroke="#3b5bdb"
          strokeWidth={2.5}
          dot={weekDot('#3b5bdb', 3)}
          connectNulls={false}
          isAnimationActive={false}
        />
      </ComposedChart>
    </ResponsiveContainer>
  );
}

export function OversightChart({ weeks, period }: { weeks: Week[]; period: Period }) {
  const data = weeks.map((w) => ({
    week: w.week,
    steered: w.pullRequests.steered,
    reviewed: w.pullRequests.reviewed,
    unreviewed: w.pullRequests.unreviewed,
  }));
  if (data.every((d) => d.steered + d.reviewed + d.unreviewed === 0))
    return (
      <p className="empty">No agent PR was merged in this period: merge an agent's PR from its session page, or choose a longer period.</p>
    );
  const names: Record<string, string> = { steered: 'Steered', reviewed: 'Reviewed', unreviewed: 'No review' };
  return (
    <ResponsiveContainer width="100%" height={200}>
      <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="week" tickFormatter={weekTick(period)} fontSize={11} />
        <YAxis allowDecimals={false} fontSize={11} label={{ value: 'merged PRs', angle: -90, position: 'insideLeft', fontSize: 11 }} />
        <Tooltip
          labelFormatter={(w) => [`Week of ${shortWeek(String(w))}`, partOfWeekText(String(w), period)].filter(Boolean).join(' · ')}
          formatter={(v, k) => [v, names[String(k)] ?? k]}
        />
        <Legend formatter={(k) => legendText(names[String(k)] ?? k)} />
        <Bar dataKey="steered" stackId="p" fill="#e8590c" isAnimationActive={false} />
        <Bar dataKey="reviewed" stackId="p" fill="#2b8a3e" isAnimationActive={false} />
        <Bar dataKey="unreviewed" stackId="p" fill="#adb5bd" isAnimationActive={false} />
      </BarChart>
    </ResponsiveContainer>
  );
}
