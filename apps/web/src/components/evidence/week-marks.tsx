// The marks of short weeks on a chart (see weeks.ts): the hollow point and the line under it.
import { days, type Period, partOfWeek, shortWeek } from './weeks.ts';

/** The line under a chart naming its short weeks, or null when every week is whole. */
export function PartialWeeksNote({ weeks, period }: { weeks: readonly string[]; period: Period }) {
  const short = weeks.flatMap((w) => {
    const part = partOfWeek(w, period);
    return part ? [`week of ${shortWeek(w)}: ${days(part)} only`] : [];
  });
  if (short.length === 0) return null;
  return <p className="chart-note faint">* Part of the week only ({short.join('; ')}); hollow points are such weeks.</p>;
}

/**
 * A line's point: filled for a whole week, hollow for a short one (`part` set on the point's
 * row). Recharts calls it for every row, a gap's too (no cy): those draw nothing.
 */
export function weekDot(color: string, r: number) {
  return function WeekDot(props: { cx?: number; cy?: number; index?: number; payload?: { part?: unknown } }) {
    const { cx, cy, index, payload } = props;
    if (typeof cx !== 'number' || typeof cy !== 'number') return <g key={`gap-${index}`} />;
    return (
      <circle
        key={`dot-${index}`}
        cx={cx}
        cy={cy}
        r={r}
        stroke={color}
        strokeWidth={1.5}
        fill={payload?.part ? '#fff' : color}
        className={payload?.part ? 'dot-partial' : undefined}
      />
    );
  };
}
