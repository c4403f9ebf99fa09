'use client';

// The Variance page (issue 9): what goes with a 3× multiplier and what with 1.5×. The spread of
// the group's multipliers, the four factors against them with their rank correlations, and the
// people, each shown only as far as the viewer's role and the group's size allow.
import type { TVarianceView } from '@parallax/evidence';
import type { MetricTerm } from '@parallax/metrics';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { MetricNote } from '~/components/evidence/metric-note.tsx';
import { ScopeBar, useEvidenceScope } from '~/components/evidence/scope-bar.tsx';
import { FormMessage } from '~/components/form.tsx';
import { useCan, useOrg } from '~/components/org-context.tsx';
import { useTRPC } from '~/trpc/react.tsx';
import { BoxStripPlot } from './box-strip-plot.tsx';
import { FactorScatter } from './factor-scatter.tsx';
import { FACTOR_ORDER, formatMultiplier } from './factors.ts';
import { PeopleTable } from './people-table.tsx';

export function VarianceBoard() {
  const { slug } = useOrg();
  const trpc = useTRPC();
  // Ninety days: a multiplier is a mean over whole weeks, and a month holds only four.
  const { input, timeZone } = useEvidenceScope(90);
  const view = useQuery({ ...trpc.variance.view.queryOptions(input!), enabled: !!input });
  const canDispatch = useCan('sessions:dispatch');
  return (
    <div className="page page-wide">
      <div className="page-header">
        <div>
          <h1>Variance</h1>
          <p className="muted">
            Each person's throughput against their own single-agent baseline, and what goes with a high multiplier.{' '}
            <MetricNote term="Throughput multiplier" />
          </p>
        </div>
      </div>
      {input && timeZone ? <ScopeBar input={input} timeZone={timeZone} /> : null}
      {view.error ? <FormMessage message={view.error.message} /> : null}
      {!view.data ? (
        view.error ? null : (
          <p className="muted">Loading…</p>
        )
      ) : (
        <VarianceBody view={view.data} slug={slug} canDispatch={canDispatch} />
      )}
    </div>
  );
}

function VarianceBody(props: { view: TVarianceView; slug: string; canDispatch: boolean }) {
  const { view } = props;
  const points = view.personLevel === 'none' ? (view.you && view.you.multiplier !== null ? [view.you] : []) : view.people;
  if (view.weeks === 0) {
    return (
      <section className="card empty-state">
        <h2>This period holds no whole week</h2>
        <p className="muted">
          Throughput is counted per week, Monday to Sunday. Choose a period of at least one full week, for example the last 90 days.
        </p>
      </section>
    );
  }
  if (view.box.count === 0) {
    return (
      <section className="card empty-state">
        <h2>No multipliers to compare yet</h2>
        <p className="muted">
          A multiplier needs agent PRs merged in the period and a baseline: weeks in which someone ran one agent at a time.{' '}
          {view.activeCount} of {view.groupSize} people had agent work in this period.{' '}
          {view.orgBaseline === null ? 'Nobody in the org has a single-agent week yet, so there is no baseline at all.' : ''}
        </p>
        {props.canDispatch ? (
          <Link href={`/o/${props.slug}/dispatch`} className="button button-primary">
            Dispatch a task
          </Link>
        ) : null}
      </section>
    );
  }
  const box = view.box;
  // Below the minimum group size the quartiles, whiskers and outliers are not sent: they would be people's own figures.
  const hidden = view.personLevel === 'none';
  return (
    <>
      <section className="stats" aria-label="Spread of multipliers">
        <Stat
          label="Median multiplier"
          term="Throughput multiplier"
          value={formatMultiplier(box.median)}
          detail={hidden ? `hidden below ${view.minGroupSize} people` : undefined}
        />
        <Stat
          label="IQR"
          term="Variance view"
          value={box.iqr === null ? '—' : `${box.iqr.toFixed(2)}×`}
          detail={hidden ? `hidden below ${view.minGroupSize} people` : `${formatMultiplier(box.q1)} – ${formatMultiplier(box.q3)}`}
        />
        <Stat
          label="Coefficient of variation"
          term="Variance view"
          value={box.coefficientOfVariation === null ? '—' : box.coefficientOfVariation.toFixed(2)}
          detail={hidden ? `hidden below ${view.minGroupSize} people` : 'std / mean'}
        />
        <Stat
          label="Outliers"
          term="Variance view"
          value={hidden ? '—' : String(box.outlierCount)}
          detail={hidden ? `hidden below ${view.minGroupSize} people` : `of ${box.count} with a multiplier`}
        />
      </section>

      <section className="card">
        <div className="card-header">
          <div>
            <h2 style={{ margin: 0, fontSize: 16 }}>
              Distribution of multipliers <MetricNote term="Throughput multiplier" />
            </h2>
            <span className="muted">
              {box.count} of {view.groupSize} people over {view.weeks} whole weeks.{' '}
              {hidden
                ? 'Nothing of the spread is shown for so few: only your own dot.'
                : 'The box spans the middle half; whiskers reach the last values within 1.5 IQR.'}
              {view.orgBaselineCount > 0
                ? ` ${view.orgBaselineCount} measured against the org baseline (${view.orgBaseline?.toFixed(1)} PRs a week), flagged.`
                : ''}{' '}
              <MetricNote term="Baseline" />
            </span>
          </div>
        </div>
        <div className="card-body">
          <BoxStripPlot view={view} points={points} />
          <Visibility view={view} />
        </div>
      </section>

      {view.correlations ? (
        <>
          <h2 style={{ fontSize: 16, margin: '8px 0 0' }}>What goes with a higher multiplier</h2>
          <div className="grid-2">
            {FACTOR_ORDER.map((factor) => {
              const c = view.correlations!.find((x) => x.factor === factor)!;
              return (
                <FactorScatter
                  key={factor}
                  factor={factor}
                  rho={c.rho}
                  pairs={c.pairs}
                  points={view.personLevel === 'none' ? [] : view.people}
                />
              );
            })}
          </div>
        </>
      ) : (
        <section className="card empty-state" data-testid="variance-correlations-hidden">
          <h2>Correlations hidden for a group this small</h2>
          <p className="muted">
            {box.count} {box.count === 1 ? 'person has' : 'people have'} a multiplier here, fewer than the org's minimum group size of{' '}
            {view.minGroupSize}: with so few, a correlation points at individuals. Choose a larger team, a longer period or the whole org.
          </p>
        </section>
      )}

      {view.personLevel !== 'none' ? (
        <section className="card">
          <div className="card-header">
            <h2 style={{ margin: 0, fontSize: 16 }}>People</h2>
          </div>
          <PeopleTable people={view.people} />
        </section>
      ) : view.you ? (
        <section className="card">
          <div className="card-header">
            <h2 style={{ margin: 0, fontSize: 16 }}>Your figures</h2>
          </div>
          <PeopleTable people={[view.you]} />
        </section>
      ) : null}
    </>
  );
}

function Visibility(props: { view: TVarianceView }) {
  const { view } = props;
  if (view.personLevel === 'named') return null;
  return (
    <p className="muted" data-testid="variance-visibility">
      {view.personLevel === 'anonymous'
        ? 'People are shown without names; your own dot is marked "You".'
        : `No per-person breakdown: fewer than ${view.minGroupSize} people have a multiplier here. Only their count and your own figures are shown.`}{' '}
      <MetricNote term="Minimum group size" />
    </p>
  );
}

function Stat(props: { label: string; term: MetricTerm; value: string; detail?: string }) {
  return (
    <div className="stat">
      <span className="stat-label">
        {props.label} <MetricNote term={props.term} />
      </span>
      <span className="stat-value">{props.value}</span>
      {props.detail ? <span className="faint">{props.detail}</span> : null}
    </div>
  );
}
