'use client';

import { useState } from 'react';
import { MetricNote } from '~/components/evidence/metric-note.tsx';
import type { RouterOutputs } from '~/trpc/react.tsx';
import { colourOf, hours, inkOf, MAX_COLOURS } from './colours.ts';
import type { SelectedDay } from './parallel-board.tsx';
import styles from './parallel.module.css';

type Heatmap = RouterOutputs['parallel']['heatmap'];
type Row = Heatmap['rows'][number];
type Cell = Row['cells'][number];

const dayHeading = (day: string) =>
  new Date(`${day}T12:00:00Z`).toLocaleDateString('en', { day: 'numeric', month: 'short', timeZone: 'UTC' });

/**
 * Developers × days, colour = daily max concurrency. A grid of buttons rather than a chart
 * canvas, so every cell can be focused, read out and clicked to open that day.
 */
export function ConcurrencyHeatmap(props: {
  data: Heatmap | undefined;
  selected: SelectedDay | null;
  onSelect(day: SelectedDay): void;
  /** A page of developers is on its way: the pager waits for it. */
  paging: boolean;
  onPage(offset: number): void;
}) {
  const map = props.data;
  const [hovered, setHovered] = useState<{ row: Row; day: string; cell: Cell | undefined } | null>(null);
  if (!map) return <HeatmapCard>{<p className="muted">Loading…</p>}</HeatmapCard>;
  if (map.totals.developerDays === 0) {
    return (
      <HeatmapCard>
        <div className="empty-state">
          <h3>No sessions in this period</h3>
          <p className="muted">Dispatch from Dispatch or widen the period.</p>
        </div>
      </HeatmapCard>
    );
  }
  // Label every day on short periods, about a dozen on long ones.
  const labelEvery = Math.max(1, Math.ceil(map.days.length / 14));
  return (
    <HeatmapCard>
      <p className="muted">
        {map.totals.parallelDays} of {map.totals.developerDays} active developer-days had 3 or more sessions at once{' '}
        <MetricNote term="Parallel developer-day" /> · {map.totals.activeDevelopers} of {map.developersInScope} developers active · days in{' '}
        {map.timeZone}
      </p>
      {map.level === 'none' ? (
        <p className="notice">
          Fewer people are in this view than the org's minimum group size <MetricNote term="Minimum group size" />: you see your own row
          only.
        </p>
      ) : null}
      <div className={styles.heatmapScroll}>
        <figure
          className={styles.heatmap}
          aria-label="Daily max concurrency per developer per day"
          style={{ gridTemplateColumns: `minmax(90px, 160px) repeat(${map.days.length}, minmax(14px, 1fr))` }}
        >
          <span />
          {map.days.map((day, i) => (
            <span key={day} className={styles.dayLabel}>
              {i % labelEvery === 0 ? dayHeading(day) : ''}
            </span>
          ))}
          {map.rows.map((row, r) => {
            const byDay = new Map(row.cells.map((c) => [c.day, c]));
            const label = row.person.name ?? `Developer ${map.page.offset + r + 1}`;
            return [
              <span key={`${row.person.key}-label`} className={styles.rowLabel} title={label}>
                {label}
              </span>,
              ...map.days.map((day) => {
                const cell = byDay.get(day);
                const max = cell?.max ?? 0;
                const developerId = row.person.developerId;
                const clickable = developerId !== null && max > 0;
                const isSelected = props.selected?.developerId === developerId && props.selected?.day === day;
                return (
                  <button
                    key={`${row.person.key}-${day}`}
                    type="button"
                    className={styles.cell}
                    data-clickable={clickable}
                    data-testid="heatmap-cell"
                    aria-pressed={isSelected}
                    aria-label={`${label}, ${day}: daily max ${max}`}
                    disabled={!clickable}
                    style={{ background: colourOf(max), color: inkOf(max) }}
                    onMouseEnter={() => setHovered({ row, day, cell })}
                    onFocus={() => setHovered({ row, day, cell })}
                    onClick={() => developerId && clickable && props.onSelect({ developerId, day })}
                  >
                    {max > 0 ? max : ''}
                  </button>
                );
              }),
            ];
          })}
        </figure>
      </div>
      {map.page.total > map.page.limit || map.page.offset > 0 ? (
        <div className="pager" data-testid="heatmap-pager">
          <span className="muted">Ranked by period max, then active days.</span>
          <button
            type="button"
            className="button button-small"
            disabled={props.paging || map.page.offset === 0}
            onClick={() => props.onPage(Math.max(0, map.page.offset - map.page.limit))}
          >
            Previous
          </button>
          <span className="muted">
            Developers {map.page.offset + 1}–{map.page.offset + map.rows.length} of {map.page.total}
          </span>
          <button
            type="button"
            className="button button-small"
            disabled={props.paging || map.page.offset + map.page.limit >= map.page.total}
            onClick={() => props.onPage(map.page.offset + map.page.limit)}
          >
            Next
          </button>
        </div>
      ) : null}
      <div className={styles.hover} role="status" data-testid="heatmap-tooltip">
        {hovered ? (
          <>
            <strong>{hovered.row.person.name ?? 'A developer'}</strong>, {hovered.day}:{' '}
            {hovered.cell
              ? `daily max ${hovered.cell.max}, time-weighted mean ${hovered.cell.mean?.toFixed(2) ?? '—'}, active ${hours(hovered.cell.activeMs)}`
              : 'no session ran'}
          </>
        ) : (
          <span className="muted">Point at a cell for the day's figures; click one to open that developer's day.</span>
        )}
      </div>
      <div className={styles.legend}>
        <span>Daily max concurrency:</span>
        {MAX_COLOURS.map((c, i) => (
          <span key={c}>
            <span className={styles.swatch} style={{ background: c }} />
            {i === 0 ? 'none' : i === MAX_COLOURS.length - 1 ? `${i}+` : i}
          </span>
        ))}
        <MetricNote term="Time-weighted mean concurrency" />
      </div>
    </HeatmapCard>
  );
}

function HeatmapCard(props: { children: React.ReactNode }) {
  return (
    <section className="card" aria-label="Heatmap">
      <div className="card-header">
        <h2>
          Daily max concurrency <MetricNote term="Daily max concurrency" />
        </h2>
      </div>
      <div className="card-body">{props.children}</div>
    </section>
  );
}
