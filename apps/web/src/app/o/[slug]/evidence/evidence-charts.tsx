'use client';

// The Evidence page's charts (Recharts): weekly trends with their target, channels over time,
// and how merged PRs were approved. Every axis says its unit; empty weeks show as gaps, not zeros.
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
import { CHANNELS, channelName, pct, type Summary } from './criteria.ts';

const COLORS = ['#3b5bdb', '#2b8a3e', '#e8590c', '#9c36b5', '#0b7285', '#c92a2a', '#5c6675'];
const shortWeek = (w: string) => new Date(`${w}T00:00:00Z`).toLocaleDateString(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });
const percentAxis = (v: number) => `${Math.round(v * 100)}%`;

export function Sparkline({ points, unit }: { points: { week: string; value: number | null }[]; unit: 'share' | 'count' }) {
  if (points.filter((p) => p.value !== null).length < 2) return <div className="sparkline sparkline-empty">too few weeks for a trend</div>;
  return (
    <div className="sparkline" aria-hidden>
      <ResponsiveContainer width="100%" height={36}>
        <LineChart data={points} margin={{ top: 4, right: 2, bottom: 2, left: 2 }}>
          <YAxis hide domain={unit === 'share' ? [0, 1] : ['auto', 'auto']} />
          <Line type="monotone" dataKey="value" stroke="#3b5bdb" strokeWidth={1.5} dot={false} connectNulls={false} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}

export function ChannelsChart({ rows }: { rows: Summary['channelsByWeek'] }) {
  if (rows.length === 0) return <p className="empty">No invocations in this period.</p>;
  const weeks = [...new Set(rows.map((r) => r.week))].sort();
  const used = CHANNELS.filter((c) => rows.some((r) => r.channel === c));
  const data = weeks.map((week) => ({
    week,
    ...Object.fromEntries(used.map((c) => [c, rows.find((r) => r.week === week && r.channel === c)?.invocations ?? 0])),
  }));
  return (
    <ResponsiveContainer width="100%" height={240}>
      <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="week" tickFormatter={shortWeek} fontSize={11} />
        <YAxis allowDecimals={false} fontSize={11} label={{ value: 'invocations', angle: -90, position: 'insideLeft', fontSize: 11 }} />
        <Tooltip labelFormatter={(w) => `Week of ${shortWeek(String(w))}`} />
        <Legend formatter={(c) => channelName(String(c))} />
        {used.map((c, i) => (
          <Bar key={c} dataKey={c} name={c} stackId="channels" fill={COLORS[i % COLORS.length]} isAnimationActive={false} />
        ))}
      </BarChart>
    </ResponsiveContainer>
  );
}

type Week = Summary['weeks'][number];

export function WeeklyRateChart({
  weeks,
  target,
  rate,
  misses,
  name,
}: {
  weeks: Week[];
  target: number;
  rate: (w: Week) => number | null;
  misses: (w: Week) => number;
  name: string;
}) {
  const data = weeks.map((w) => ({ week: w.week, rate: rate(w), misses: misses(w) }));
  if (data.every((d) => d.rate === null)) return <p className="empty">No finished work in this period.</p>;
  return (
    <ResponsiveContainer width="100%" height={240}>
      <ComposedChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="week" tickFormatter={shortWeek} fontSize={11} />
        <YAxis yAxisId="rate" domain={[0, 1]} tickFormatter={percentAxis} fontSize={11} />
        <YAxis yAxisId="misses" orientation="right" allowDecimals={false} fontSize={11} label={{ value: 'misses', angle: 90, position: 'insideRight', fontSize: 11 }} />
        <Tooltip
          labelFormatter={(w) => `Week of ${shortWeek(String(w))}`}
          formatter={(value, key) => (key === 'rate' ? [pct(value as number | null), name] : [value, 'Misses'])}
        />
        <Legend formatter={(key) => (key === 'rate' ? name : 'Misses')} />
        <Bar yAxisId="misses" dataKey="misses" fill="#f1c0c0" isAnimationActive={false} />
        <ReferenceLine yAxisId="rate" y={target} stroke="#c92a2a" strokeDasharray="4 4" label={{ value: `target ${percentAxis(target)}`, fontSize: 11, position: 'insideTopLeft' }} />
        <Line yAxisId="rate" type="monotone" dataKey="rate" stroke="#3b5bdb" strokeWidth={2} dot={{ r: 2 }} connectNulls={false} isAnimationActive={false} />
      </ComposedChart>
    </ResponsiveContainer>
  );
}

export function OversightChart({ weeks }: { weeks: Week[] }) {
  const data = weeks.map((w) => ({ week: w.week, steered: w.pullRequests.steered, reviewed: w.pullRequests.reviewed, unreviewed: w.pullRequests.unreviewed }));
  if (data.every((d) => d.steered + d.reviewed + d.unreviewed === 0)) return <p className="empty">No agent PR was merged in this period.</p>;
  const names: Record<string, string> = { steered: 'Steered', reviewed: 'Reviewed', unreviewed: 'No review' };
  return (
    <ResponsiveContainer width="100%" height={200}>
      <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="week" tickFormatter={shortWeek} fontSize={11} />
        <YAxis allowDecimals={false} fontSize={11} label={{ value: 'merged PRs', angle: -90, position: 'insideLeft', fontSize: 11 }} />
        <Tooltip labelFormatter={(w) => `Week of ${shortWeek(String(w))}`} formatter={(v, k) => [v, names[String(k)] ?? k]} />
        <Legend formatter={(k) => names[String(k)] ?? k} />
        <Bar dataKey="steered" stackId="p" fill="#e8590c" isAnimationActive={false} />
        <Bar dataKey="reviewed" stackId="p" fill="#2b8a3e" isAnimationActive={false} />
        <Bar dataKey="unreviewed" stackId="p" fill="#adb5bd" isAnimationActive={false} />
      </BarChart>
    </ResponsiveContainer>
  );
}
