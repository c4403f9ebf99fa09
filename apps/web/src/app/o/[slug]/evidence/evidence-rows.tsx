'use client';

// The records behind a tile: the rows the criterion counts, a page at a time, and the same rows
// as a CSV file. People's names follow the viewer's role (the server decides).
import { useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import type { EvidenceScopeInput } from '~/components/evidence/scope-bar.tsx';
import { FormMessage } from '~/components/form.tsx';
import { useOrg } from '~/components/org-context.tsx';
import { useTRPC } from '~/trpc/react.tsx';

export type RowsCriterion = 'unattended' | 'channels' | 'parallel' | 'completion' | 'sla' | 'sla-breaches' | 'pull-requests';
const TITLES: Record<RowsCriterion, string> = {
  unattended: 'Unattended sessions (criterion 1)',
  channels: 'Invocations by channel (criterion 2)',
  parallel: 'Developers and their parallel days (criterion 3)',
  completion: 'Finished sessions (criterion 4)',
  sla: 'Invocations owed a PR whose window has closed (criterion 5)',
  'sla-breaches': 'SLA breaches: PRs opened late, and no PR by the deadline (criterion 5)',
  'pull-requests': 'Merged agent PRs and how they were approved',
};
const PAGE = 50;

export function EvidenceRowsPanel({
  input,
  timeZone,
  criterion,
  onClose,
  onPick,
}: {
  input: EvidenceScopeInput;
  /** The org's: the rows' times are read in it, as the period's days are. */
  timeZone: string | null;
  criterion: RowsCriterion;
  onClose: () => void;
  onPick: (c: RowsCriterion) => void;
}) {
  const { slug } = useOrg();
  const trpc = useTRPC();
  const client = useQueryClient();
  const [cursor, setCursor] = useState(0);
  const [downloading, setDownloading] = useState<string | null>(null);
  const rows = useQuery(trpc.evidence.rows.queryOptions({ ...input, criterion, cursor, limit: PAGE }));

  const download = async () => {
    setDownloading('Preparing…');
    try {
      const file = await client.fetchQuery(trpc.evidence.rowsCsv.queryOptions({ ...input, criterion }));
      const url = URL.createObjectURL(new Blob([file.csv], { type: 'text/csv;charset=utf-8' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = file.filename;
      a.click();
      URL.revokeObjectURL(url);
      setDownloading(file.truncated ? `Downloaded the first ${file.rows} rows (the limit of one file).` : null);
    } catch (error) {
      setDownloading(error instanceof Error ? error.message : 'The download failed.');
    }
  };

  const data = rows.data;
  return (
    <section className="card" id="evidence-rows" aria-label="Rows behind the figure">
      <div className="card-header">
        <div>
          <h2>{TITLES[criterion]}</h2>
          <p className="muted">
            {data ? `${data.total} row${data.total === 1 ? '' : 's'}` : 'Loading…'}
            {data?.hidden ? ` · ${data.hidden} more of other people are counted in the figures but not listed for your role` : ''}
            {timeZone ? ` · times in ${timeZone}` : ''}
          </p>
        </div>
        <div className="actions-row">
          <select
            className="select"
            aria-label="Rows of"
            value={criterion}
            onChange={(e) => {
              setCursor(0);
              onPick(e.target.value as RowsCriterion);
            }}
          >
            {Object.entries(TITLES).map(([k, t]) => (
              <option key={k} value={k}>
                {t}
              </option>
            ))}
          </select>
          <button type="button" className="button button-small" onClick={download} disabled={!data || data.total === 0}>
            Download CSV
          </button>
          <button type="button" className="button button-small" onClick={onClose}>
            Close
          </button>
        </div>
      </div>
      {downloading ? <p className="notice">{downloading}</p> : null}
      {rows.error ? <FormMessage message={rows.error.message} /> : null}
      {data && data.rows.length === 0 ? (
        <p className="empty">No rows: nothing of this kind in the period and scope. Choose a longer period or a wider scope above.</p>
      ) : null}
      {data && data.rows.length > 0 ? (
        <div className="table-scroll">
          <table className="table table-compact" data-testid="evidence-rows">
            <thead>
              <tr>
                {data.columns.map((c) => (
                  <th key={c.key}>{c.label}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {data.rows.map((row, i) => (
                <tr key={String(row.sessionId ?? row.developer ?? i)}>
                  {data.columns.map((c) => (
                    <td key={c.key}>
                      <Cell column={c.key} value={row[c.key] ?? null} row={row} slug={slug} timeZone={timeZone} />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {data && (cursor > 0 || data.nextCursor !== null) ? (
        <div className="pager">
          <button
            type="button"
            className="button button-small"
            disabled={cursor === 0}
            onClick={() => setCursor(Math.max(0, cursor - PAGE))}
          >
            Previous
          </button>
          <span className="muted">
            {cursor + 1}–{cursor + data.rows.length} of {data.total}
          </span>
          <button
            type="button"
            className="button button-small"
            disabled={data.nextCursor === null}
            onClick={() => setCursor(data.nextCursor ?? cursor)}
          >
            Next
          </button>
        </div>
      ) : null}
    </section>
  );
}

type Value = string | number | boolean | null;

function Cell(props: { column: string; value: Value; row: Record<string, Value>; slug: string; timeZone: string | null }) {
  const { column, value, row, slug, timeZone } = props;
  if (value === null) return <span className="faint">—</span>;
  if (column === 'sessionId') return <Link href={`/o/${slug}/sessions/${value}`}>open</Link>;
  if (column === 'pr' && typeof row.prUrl === 'string' && /^https?:\/\//.test(row.prUrl)) return <a href={row.prUrl}>{value}</a>;
  if (typeof value === 'boolean') return <span className={`badge ${value ? 'badge-success' : ''}`}>{value ? 'yes' : 'no'}</span>;
  if (column === 'verdict' || column === 'provenance') return <span className={`badge verdict-${value}`}>{value}</span>;
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value))
    return <>{new Date(value).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short', timeZone: timeZone ?? undefined })}</>;
  return <>{value}</>;
}
