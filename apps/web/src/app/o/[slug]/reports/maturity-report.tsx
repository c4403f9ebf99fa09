'use client';

// The maturity report for heads of engineering: the org and each team against the five L4
// criteria (value, target, pass or fail, trend), the level reached and what to do next, with
// links to the evidence behind each figure and each group's criteria week by week. It prints as
// a report (the app's chrome is hidden); `print` is the view the server turns into a PDF.
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { MetricNote } from '~/components/evidence/metric-note.tsx';
import { ScopeBar, useEvidenceScope } from '~/components/evidence/scope-bar.tsx';
import { FormMessage } from '~/components/form.tsx';
import { useOrg } from '~/components/org-context.tsx';
import { type RouterOutputs, useTRPC } from '~/trpc/react.tsx';
import { CRITERIA, delta } from '../evidence/criteria.ts';
import { GroupCharts } from './report-charts.tsx';
import { useDownloadPdf, useReportReady } from './report-pdf.tsx';

type Report = RouterOutputs['report']['maturity'];
/** The PDF is read anywhere: its times are UTC, not the printing browser's zone. */
const utcMinute = (at: Date | string) => `${new Date(at).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
type Group = Report['org'];

export function MaturityReportView({ print = false }: { print?: boolean }) {
  const { name: orgName } = useOrg();
  const trpc = useTRPC();
  const { input, timeZone } = useEvidenceScope(90);
  const report = useQuery({ ...trpc.report.maturity.queryOptions(input!), enabled: !!input });
  const data = report.data;
  const pdf = useDownloadPdf(input);
  const ready = useReportReady(!!data, !!report.error);
  return (
    <div
      className={`page page-wide report${print ? ' report-print' : ''}`}
      data-report-ready={print && ready === 'ready' ? '' : undefined}
      data-report-error={print && ready === 'error' ? (report.error?.message ?? 'error') : undefined}
    >
      {print && data ? <TitleBlock report={data} orgName={orgName} /> : null}
      <div className="page-header report-screen-header">
        <div>
          <h1>Maturity report</h1>
          <p className="muted">
            {orgName} and each of its teams against the five L4 criteria
            {data ? `, ${data.scope.from} to ${data.scope.to} (days in ${data.scope.timeZone})` : ''}
            {data?.scope.repositoryName ? `, in ${data.scope.repositoryName}` : ''}.
          </p>
        </div>
        <div className="actions-row report-actions no-print">
          <button type="button" className="button" onClick={() => window.print()}>
            Print
          </button>
          <button type="button" className="button button-primary" onClick={pdf.download} disabled={!input || pdf.busy} aria-busy={pdf.busy}>
            {pdf.busy ? 'Making the PDF…' : 'Download PDF'}
          </button>
        </div>
      </div>
      <FormMessage message={pdf.error} />
      {data?.scope.demo ? <p className="notice notice-warning">Generated demo history: no real work is reported here.</p> : null}
      {input && timeZone && !print ? (
        <div className="no-print">
          <ScopeBar input={input} timeZone={timeZone} />
        </div>
      ) : null}
      {report.error ? <FormMessage message={report.error.message} /> : null}
      {!data ? (
        report.error ? null : (
          <p className="muted">Loading…</p>
        )
      ) : (
        <>
          <Matrix report={data} />
          <GroupSection group={data.org} report={data} isOrg />
          {data.teams.map((t) => (
            <GroupSection key={t.teamId} group={t} report={data} />
          ))}
          {data.teams.length === 0 ? (
            <p className="muted">This organization has no teams yet: create them in Settings → Teams to compare them here.</p>
          ) : null}
          <p className="faint report-footer">
            Generated {print ? utcMinute(data.generatedAt) : new Date(data.generatedAt).toLocaleString()} · trends against{' '}
            {data.scope.previous.from} – {data.scope.previous.to} · definitions: METRICS.md{print ? '' : ' (hover the marks)'}.
          </p>
        </>
      )}
    </div>
  );
}

function Matrix({ report }: { report: Report }) {
  const groups = [report.org, ...report.teams];
  return (
    <section className="card">
      <div className="card-header">
        <div>
          <h2>
            Where each group stands
            <MetricNote term="Maturity level" />
          </h2>
          <p className="muted">Value against target for each criterion; the arrow is the change against the previous period.</p>
        </div>
      </div>
      <div className="table-scroll">
        <table className="table table-compact report-matrix">
          <thead>
            <tr>
              <th>Group</th>
              <th>Level</th>
              {CRITERIA.map((c) => (
                <th key={c.key}>
                  {c.number}. {c.short}
                  <MetricNote term={c.term} />
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {groups.map((g) => (
              <tr key={g.teamId ?? 'org'}>
                <td>
                  <strong>{g.name}</strong>
                  <div className="faint">{g.teamId ? `team of ${g.members}` : `organization, ${g.members} members`}</div>
                </td>
                <td>
                  <span className={`badge ${g.level === 'L4' ? 'badge-success' : 'badge-danger'}`}>
                    {g.level === 'L4' ? 'L4' : `below L4 (${g.holding}/5)`}
                  </span>
                </td>
                {CRITERIA.map((c) => {
                  const meets = c.meets(g.current);
                  const d = delta(c.figure(g.current), c.figure(g.previous), c.unit);
                  return (
                    <td key={c.key} className={meets ? 'cell-pass' : 'cell-fail'}>
                      <div>
                        {meets ? '✓' : '✗'} {c.value(g.current)}
                      </div>
                      <div className="faint">{d ? d.text : '—'}</div>
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function GroupSection({ group, report, isOrg }: { group: Group; report: Report; isOrg?: boolean }) {
  const { slug } = useOrg();
  const evidence = (criterion?: string) => {
    const q = new URLSearchParams({ from: report.scope.from, to: report.scope.to });
    if (group.teamId) q.set('team', group.teamId);
    if (report.scope.repositoryId) q.set('repo', report.scope.repositoryId);
    if (criterion) q.set('rows', criterion);
    return `/o/${slug}/evidence?${q.toString()}`;
  };
  return (
    <section className="card report-group">
      <div className="card-header">
        <div>
          <h2>{isOrg ? `The organization: ${group.name}` : `Team ${group.name}`}</h2>
          <p className="muted">
            {group.level === 'L4'
              ? 'L4: all five criteria hold in this period.'
              : `Below L4: ${group.holding} of 5 criteria hold. ${group.nextSteps.length} to work on, in order below.`}
          </p>
        </div>
        <Link href={evidence()} className="button button-small no-print">
          Evidence
        </Link>
      </div>
      <div className="card-body">
        <GroupCharts weeks={group.weeks} slaTarget={report.slaTarget} period={report.scope} />
        <ul className="report-criteria">
          {CRITERIA.map((c) => {
            const meets = c.meets(group.current);
            const step = group.nextSteps.find((s) => s.criterion === c.key);
            return (
              <li key={c.key} className={meets ? 'pass' : 'fail'}>
                <div className="report-criterion-head">
                  <span className={`badge ${meets ? 'badge-success' : 'badge-danger'}`}>{meets ? 'Pass' : 'Fail'}</span>
                  <strong>
                    {c.number}. {c.title}
                  </strong>
                  <span>
                    {c.value(group.current)} <span className="faint">(target {c.target(report.slaTarget)})</span>
                  </span>
                  <Link href={evidence(c.key)} className="no-print">
                    the rows
                  </Link>
                </div>
                <p className="muted">{c.detail(group.current)}</p>
                {step ? (
                  <div className="next-step">
                    <p>
                      <strong>Gap:</strong> {step.gap}
                    </p>
                    <p>
                      <strong>Next:</strong> {step.action}
                    </p>
                  </div>
                ) : null}
              </li>
            );
          })}
        </ul>
      </div>
    </section>
  );
}

/** The PDF's first block: what this is, of whom, over which days, and the level reached. */
function TitleBlock({ report, orgName }: { report: Report; orgName: string }) {
  const org = report.org;
  return (
    <header className="report-title-block">
      <p className="faint">Parallax · L4 maturity report</p>
      <h1>{orgName}</h1>
      <dl>
        <dt>Period</dt>
        <dd>
          {report.scope.from} to {report.scope.to}
          {report.scope.repositoryName ? `, in ${report.scope.repositoryName}` : ''}
        </dd>
        <dt>Time zone</dt>
        <dd>{report.scope.timeZone} (the days are the organization's)</dd>
        <dt>Generated</dt>
        <dd>{utcMinute(report.generatedAt)}</dd>
        <dt>Level reached</dt>
        <dd>
          <span className={`badge ${org.level === 'L4' ? 'badge-success' : 'badge-danger'}`}>
            {org.level === 'L4' ? 'L4: all five criteria hold' : `below L4: ${org.holding} of 5 criteria hold`}
          </span>
        </dd>
        <dt>Teams</dt>
        <dd>
          {report.teams.length
            ? report.teams.map((t) => `${t.name} (${t.level === 'L4' ? 'L4' : `${t.holding}/5`})`).join(', ')
            : 'none yet'}
        </dd>
      </dl>
    </header>
  );
}
