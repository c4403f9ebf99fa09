'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { Bar, BarChart, CartesianGrid, Cell, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { MetricNote } from '~/components/evidence/metric-note.tsx';
import { FormMessage } from '~/components/form.tsx';
import { useOrg } from '~/components/org-context.tsx';
import { type RouterInputs, useTRPC } from '~/trpc/react.tsx';
import { hours } from './colours.ts';
import type { SelectedDay } from './parallel-board.tsx';
import styles from './parallel.module.css';

const STATUS_COLOURS: Record<string, string> = { SUCCEEDED: '#2b8a3e', FAILED: '#c92a2a', TIMED_OUT: '#c92a2a', CANCELLED: '#8a93a1' };

/** One developer's day: a bar per session over the org-local day, and the concurrency under it. */
export function DayTimeline(props: { scope: RouterInputs['parallel']['heatmap']; selected: SelectedDay; onClose(): void }) {
  const { slug } = useOrg();
  const trpc = useTRPC();
  const day = useQuery(trpc.parallel.developerDay.queryOptions({ ...props.scope, ...props.selected }));
  const d = day.data;
  const [wholeDay, setWholeDay] = useState(false);
  // Short sessions vanish on a 24-hour axis: by default the axis spans the sessions, padded.
  const fit = d && d.sessions.length > 0 && !wholeDay;
  const lo = fit ? Math.min(...d.sessions.map((s) => s.startMs)) : (d?.dayStart ?? 0);
  const hi = fit ? Math.max(...d.sessions.map((s) => s.endMs)) : (d?.dayEnd ?? 1);
  const pad = fit ? Math.max((hi - lo) * 0.05, 1000) : 0;
  const domain: [number, number] = [Math.max(lo - pad, d?.dayStart ?? 0), Math.min(hi + pad, d?.dayEnd ?? 1)];
  const span = domain[1] - domain[0];
  const clock = (t: number) =>
    new Date(t).toLocaleTimeString('en-GB', {
      hour: '2-digit',
      minute: '2-digit',
      second: span < 3_600_000 ? '2-digit' : undefined,
      timeZone: d?.timeZone ?? 'UTC',
    });
  const ticks = Array.from({ length: 7 }, (_, i) => domain[0] + (span * i) / 6);
  const xAxis = { type: 'number' as const, domain, ticks, tickFormatter: clock, allowDataOverflow: true };
  const rows = (d?.sessions ?? []).map((s) => ({
    ...s,
    label: s.title.length > 28 ? `${s.title.slice(0, 27)}…` : s.title,
    range: [s.startMs, s.endMs],
  }));
  // Every whole count on the axis, so a step to 3 reads as 3.
  const top = Math.max(1, ...(d?.steps ?? []).map((s) => s.n));
  const yTicks = Array.from({ length: top + 1 }, (_, i) => i);
  const last = d?.steps[d.steps.length - 1];
  const steps = d && last && last.t < d.dayEnd ? [...d.steps, { t: d.dayEnd, n: last.n }] : (d?.steps ?? []);

  return (
    <section className="card" aria-label="Developer day">
      <div className="card-header">
        <h2>
          {d ? `${d.person.name}, ${d.day}` : 'Loading the day…'} <MetricNote term="Active session" />
        </h2>
        <button type="button" className="button button-small" onClick={props.onClose}>
          Close
        </button>
      </div>
      <div className="card-body">
        {day.error ? <FormMessage message={day.error.message} /> : null}
        {d ? (
          <>
            <div className={styles.figures}>
              <span>
                Daily max <strong>{d.maxConcurrency}</strong> <MetricNote term="Daily max concurrency" />
              </span>
              <span>
                Time-weighted mean <strong>{d.meanConcurrency?.toFixed(2) ?? '—'}</strong>{' '}
                <MetricNote term="Time-weighted mean concurrency" />
              </span>
              <span>
                Active <strong>{hours(d.activeMs)}</strong>
              </span>
              <span className="muted">times in {d.timeZone}</span>
              {d.sessions.length > 0 ? (
                <button type="button" className="link-button" onClick={() => setWholeDay(!wholeDay)}>
                  {wholeDay ? 'Fit to the sessions' : 'Show the whole day'}
                </button>
              ) : null}
            </div>
            {rows.length === 0 ? (
              <p className="muted">No session ran on this day.</p>
            ) : (
              <>
                <div style={{ width: '100%', height: 40 + rows.length * 26 }}>
                  <ResponsiveContainer>
                    <BarChart data={rows} layout="vertical" margin={{ top: 8, right: 24, bottom: 8, left: 8 }} barCategoryGap={4}>
                      <CartesianGrid strokeDasharray="3 3" horizontal={false} />
                      <XAxis {...xAxis} />
                      <YAxis type="category" dataKey="label" width={190} tick={{ fontSize: 12 }} />
                      <Tooltip
                        content={({ payload }) => {
                          const s = payload?.[0]?.payload as (typeof rows)[number] | undefined;
                          return s ? (
                            <div className="card card-body">
                              <strong>{s.title}</strong>
                              <div>
                                {s.repository} · {s.status.toLowerCase()}
                              </div>
                              <div>
                                {clock(s.startMs)}–{s.running ? 'now' : clock(s.endMs)} ({hours(s.endMs - s.startMs)} this day)
                              </div>
                            </div>
                          ) : null;
                        }}
                      />
                      <Bar dataKey="range" name="Session" isAnimationActive={false} fill="#4c6ef5">
                        {rows.map((s) => (
                          <Cell key={s.id} fill={STATUS_COLOURS[s.status] ?? '#4c6ef5'} />
                        ))}
                      </Bar>
                    </BarChart>
                  </ResponsiveContainer>
                </div>
                <p className="muted">Sessions running at once</p>
                <div style={{ width: '100%', height: 160 }}>
                  <ResponsiveContainer>
                    <LineChart data={steps} margin={{ top: 8, right: 24, bottom: 24, left: 8 }}>
                      <CartesianGrid strokeDasharray="3 3" />
                      <XAxis
                        dataKey="t"
                        {...xAxis}
                        label={{ value: `Time of day (${d.timeZone})`, position: 'insideBottom', offset: -12 }}
                      />
                      <YAxis width={190} domain={[0, top]} ticks={yTicks} tickFormatter={(n) => `${n} at once`} />
                      <Tooltip labelFormatter={(t) => clock(Number(t))} formatter={(n) => [n, 'Sessions running']} />
                      <Line type="stepAfter" dataKey="n" name="Concurrency" stroke="#1c2f8f" dot={false} isAnimationActive={false} />
                    </LineChart>
                  </ResponsiveContainer>
                </div>
                <ul className="session-list">
                  {d.sessions.map((s) => (
                    <li key={s.id}>
                      <Link href={`/o/${slug}/sessions/${s.id}`}>{s.title}</Link>{' '}
                      <span className="muted">
                        {s.repository} · {s.status.toLowerCase()} · {clock(s.startMs)}–{s.running ? 'now' : clock(s.endMs)}
                      </span>
                    </li>
                  ))}
                </ul>
              </>
            )}
          </>
        ) : null}
      </div>
    </section>
  );
}
