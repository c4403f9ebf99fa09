'use client';

import type { MetricTerm } from '@parallax/metrics';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import type { ReactNode } from 'react';
import { MetricNote } from '~/components/evidence/metric-note.tsx';
import { ScopeBar, useEvidenceScope } from '~/components/evidence/scope-bar.tsx';
import { FormMessage } from '~/components/form.tsx';
import { useCan, useOrg } from '~/components/org-context.tsx';
import { useTRPC } from '~/trpc/react.tsx';
import { CRITERIA, type Criteria, type CriterionKey, type CriterionView, delta, pct, type Summary } from './criteria.ts';
import { ChannelsChart, CompletionWeeklyChart, OversightChart, SlaWeeklyChart, Sparkline } from './evidence-charts.tsx';
import { EvidenceRowsPanel, type RowsCriterion } from './evidence-rows.tsx';

export function EvidenceView() {
  const { slug } = useOrg();
  const trpc = useTRPC();
  const { input, timeZone } = useEvidenceScope(30);
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const canDispatch = useCan('sessions:dispatch');
  const summary = useQuery({ ...trpc.evidence.summary.queryOptions(input!), enabled: !!input });
  const rowsOf = params.get('rows') as RowsCriterion | null;
  const openRows = (criterion: RowsCriterion | null) => {
    const next = new URLSearchParams(params.toString());
    if (criterion) next.set('rows', criterion);
    else next.delete('rows');
    router.replace(`${pathname}?${next.toString()}`, { scroll: false });
    if (criterion) setTimeout(() => document.getElementById('evidence-rows')?.scrollIntoView({ behavior: 'smooth' }), 50);
  };

  const data = summary.data;
  const empty =
    data && data.current.completion.finished === 0 && data.current.sla.counted === 0 && data.current.channels.channels.length === 0;
  return (
    <div className="page page-wide">
      <div className="page-header">
        <div>
          <h1>Evidence</h1>
          <p className="muted">
            The five L4 criteria for {data?.scope.teamName ?? 'the whole organization'}
            {data?.scope.repositoryName ? ` in ${data.scope.repositoryName}` : ''}, each with the records behind it.
          </p>
        </div>
      </div>
      {data?.scope.demo ? (
        <p className="notice notice-warning" role="status">
          Generated demo history: this organization holds no real work, only a realistic history to explore the pages with.
        </p>
      ) : null}
      {input && timeZone ? <ScopeBar input={input} timeZone={timeZone} /> : null}
      {summary.error ? <FormMessage message={summary.error.message} /> : null}
      {!data ? (
        summary.error ? null : (
          <p className="muted">Loading…</p>
        )
      ) : empty ? (
        <section className="card empty-state">
          <h2>No agent work in this period</h2>
          <p className="muted">
            The criteria are computed from finished sessions, invocations and pull requests. Widen the period, pick another team, or
            dispatch work to agents and come back when it has run.
          </p>
          {canDispatch ? (
            <Link href={`/o/${slug}/dispatch`} className="button button-primary">
              Dispatch a task
            </Link>
          ) : null}
        </section>
      ) : (
        <>
          <Verdict summary={data} />
          <section className="criteria-grid" aria-label="L4 criteria">
            {CRITERIA.map((c) => (
              <CriterionTile key={c.key} view={c} summary={data} onRows={() => openRows(c.key)} />
            ))}
          </section>
          <div className="evidence-columns">
            <Panel title="Channels used over time" term="Channels used" summary="Invocations per week, by the channel they came in on.">
              <ChannelsChart rows={data.channelsByWeek} weeks={data.weeks.map((w) => w.week)} period={data.scope} />
            </Panel>
            <Panel
              title="PR within SLA, week by week"
              term="PR within SLA rate"
              summary="Share of invocations with a PR in time (line, left axis); beneath it each week's outcomes: in time, late, or no PR once the window closed (bars, right axis)."
              action={{ label: 'See breaches', onClick: () => openRows('sla-breaches') }}
            >
              <SlaWeeklyChart weeks={data.weeks} target={data.slaTarget} period={data.scope} />
            </Panel>
            <Panel
              title="Completion without intervention, week by week"
              term="Completion without intervention rate"
              summary="Share of finished sessions that succeeded with no human correction (line, left axis); beneath it each week's finished sessions (bars, right axis)."
            >
              <CompletionWeeklyChart weeks={data.weeks} period={data.scope} />
            </Panel>
            <Panel
              title="How merged agent PRs were approved"
              term="Approval provenance"
              summary="Steered while running, reviewed after opening, or merged with no review."
              action={{ label: 'See the PRs', onClick: () => openRows('pull-requests') }}
            >
              <Provenance current={data.current} />
              <OversightChart weeks={data.weeks} period={data.scope} />
            </Panel>
          </div>
          <OversightTable summary={data} />
          {rowsOf && input ? (
            <EvidenceRowsPanel input={input} timeZone={timeZone} criterion={rowsOf} onClose={() => openRows(null)} onPick={openRows} />
          ) : null}
        </>
      )}
    </div>
  );
}

/** A card with a cited title, a line saying what it shows, and an optional action. */
function Panel(props: {
  title: string;
  term: MetricTerm;
  summary: string;
  action?: { label: string; onClick: () => void };
  children: ReactNode;
}) {
  return (
    <section className="card" aria-label={props.title}>
      <div className="card-header">
        <div>
          <h2>
            {props.title}
            <MetricNote term={props.term} />
          </h2>
          <p className="muted">{props.summary}</p>
        </div>
        {props.action ? (
          <button type="button" className="button button-small" onClick={props.action.onClick}>
            {props.action.label}
          </button>
        ) : null}
      </div>
      <div className="card-body">{props.children}</div>
    </section>
  );
}

function Verdict({ summary }: { summary: Summary }) {
  const failing = CRITERIA.filter((c) => !c.meets(summary.current));
  return (
    <section className={`card verdict ${summary.current.l4 ? 'verdict-pass' : 'verdict-fail'}`} aria-label="Maturity level">
      <div className="card-body">
        <h2>
          {summary.current.l4
            ? 'L4 for this period: all five criteria hold'
            : `Not L4 for this period: ${failing.length} of 5 criteria fail`}
          <MetricNote term="Maturity level" />
        </h2>
        {!summary.current.l4 ? <p className="muted">Failing: {failing.map((c) => `${c.number}. ${c.title}`).join(' · ')}</p> : null}
      </div>
    </section>
  );
}

function CriterionTile({ view, summary, onRows }: { view: CriterionView; summary: Summary; onRows: () => void }) {
  const meets = view.meets(summary.current);
  const d = delta(view.figure(summary.current), view.figure(summary.previous), view.unit);
  const points = summary.weeks.map((w) => ({ week: w.week, value: view.figure(w) }));
  return (
    <article className={`criterion ${meets ? 'criterion-pass' : 'criterion-fail'}`} aria-label={`Criterion ${view.number}: ${view.title}`}>
      <header>
        <span className="criterion-number">{view.number}</span>
        <h3>
          {view.title}
          <MetricNote term={view.term} />
        </h3>
      </header>
      <div className="criterion-value" data-testid={`criterion-${view.key}-value`}>
        {view.value(summary.current)}
      </div>
      <div className="criterion-target">
        <span className={`badge ${meets ? 'badge-success' : 'badge-danger'}`}>{meets ? 'Pass' : 'Fail'}</span> target{' '}
        {view.target(summary.slaTarget)}
      </div>
      <p className="criterion-detail">{view.detail(summary.current)}</p>
      <Sparkline points={points} unit={view.unit} />
      <footer>
        <span
          className={`trend trend-${d ? (d.sign > 0 ? 'up' : d.sign < 0 ? 'down' : 'flat') : 'none'}`}
          title={`Against ${summary.scope.previous.from} – ${summary.scope.previous.to}`}
        >
          {d ? `${d.text} vs previous period` : 'no previous figure'}
        </span>
        <button type="button" className="link-button" onClick={onRows}>
          See the rows
        </button>
      </footer>
    </article>
  );
}

function Provenance({ current }: { current: Criteria }) {
  const p = current.pullRequests;
  const share = (n: number) => (p.merged ? n / p.merged : null);
  const latency = p.meanReviewLatencyMs === null ? '—' : `${Math.round(p.meanReviewLatencyMs / 60_000)} min`;
  return (
    <div className="stats stats-tight">
      <div className="stat">
        <span className="stat-label">Merged agent PRs</span>
        <span className="stat-value">{p.merged}</span>
      </div>
      <div className="stat">
        <span className="stat-label">Steered while running</span>
        <span className="stat-value">{pct(share(p.steered))}</span>
      </div>
      <div className="stat">
        <span className="stat-label">
          Reviewed after opening
          <MetricNote term="Review latency" />
        </span>
        <span className="stat-value">{pct(share(p.reviewed))}</span>
        <span className="faint">mean review latency {latency}</span>
      </div>
      <div className="stat">
        <span className="stat-label">Merged with no review</span>
        <span className="stat-value">{pct(share(p.unreviewed))}</span>
      </div>
    </div>
  );
}

function OversightTable({ summary }: { summary: Summary }) {
  const c = summary.current;
  const usd = (v: number | null) => (v === null ? '—' : `$${v.toFixed(2)}`);
  return (
    <section className="card">
      <div className="card-header">
        <div>
          <h2>
            Agent PRs merged without synchronous oversight
            <MetricNote term="Merged without synchronous oversight" />
          </h2>
          <p className="muted">Merged agent PRs whose session had no intervention while it ran, week by week, and what the agents cost.</p>
        </div>
        <div className="cost">
          <span className="stat-label">
            Cost per merged PR
            <MetricNote term="Agent cost" />
          </span>
          <strong data-testid="cost-per-merged-pr">{usd(c.cost.usdPerMergedPr)}</strong>
          <span className="faint">
            {c.cost.coverage === null ? 'no finished sessions' : `${pct(c.cost.coverage)} of ${c.cost.sessions} sessions reported a cost`}
          </span>
        </div>
      </div>
      <table className="table">
        <thead>
          <tr>
            <th>Week of</th>
            <th>PRs opened</th>
            <th>Merged</th>
            <th>Without synchronous oversight</th>
            <th>Steered</th>
            <th>Reviewed</th>
            <th>No review</th>
          </tr>
        </thead>
        <tbody>
          {summary.weeks.map((w) => (
            <tr key={w.week}>
              <td>{w.week}</td>
              <td>{w.pullRequests.opened}</td>
              <td>{w.pullRequests.merged}</td>
              <td>
                {w.pullRequests.withoutOversight}{' '}
                <span className="faint">
                  {w.pullRequests.merged ? `(${pct(w.pullRequests.withoutOversight / w.pullRequests.merged)})` : ''}
                </span>
              </td>
              <td>{w.pullRequests.steered}</td>
              <td>{w.pullRequests.reviewed}</td>
              <td>{w.pullRequests.unreviewed}</td>
            </tr>
          ))}
          <tr className="table-total">
            <td>Period</td>
            <td>{c.pullRequests.opened}</td>
            <td>{c.pullRequests.merged}</td>
            <td>{c.pullRequests.withoutOversight}</td>
            <td>{c.pullRequests.steered}</td>
            <td>{c.pullRequests.reviewed}</td>
            <td>{c.pullRequests.unreviewed}</td>
          </tr>
        </tbody>
      </table>
    </section>
  );
}

export type { CriterionKey };
