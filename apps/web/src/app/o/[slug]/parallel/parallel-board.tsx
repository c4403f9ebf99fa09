'use client';

import { skipToken, useQuery } from '@tanstack/react-query';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { ScopeBar, useEvidenceScope } from '~/components/evidence/scope-bar.tsx';
import { FormMessage } from '~/components/form.tsx';
import { useOrg } from '~/components/org-context.tsx';
import { LIVE_REFRESH_MS } from '~/components/sessions/clock.tsx';
import { useTRPC } from '~/trpc/react.tsx';
import { DayTimeline } from './day-timeline.tsx';
import { MedianDistribution } from './median-distribution.tsx';
import { ConcurrencyHeatmap } from './concurrency-heatmap.tsx';
import { LiveStrip } from './live-strip.tsx';

/** Developers per page of the heatmap. */
const HEATMAP_PAGE = 25;

export interface SelectedDay {
  developerId: string;
  day: string;
}

export function ParallelBoard() {
  const { name: orgName } = useOrg();
  const trpc = useTRPC();
  const { input, timeZone } = useEvidenceScope();
  // The developer-day opened and the heatmap's page are in the URL, so a view can be shared.
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const setParams = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params.toString());
    for (const [k, v] of Object.entries(changes)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    router.replace(`${pathname}?${next.toString()}`, { scroll: false });
  };
  const day = params.get('day');
  const developer = params.get('developer');
  const selected: SelectedDay | null = day && /^\d{4}-\d{2}-\d{2}$/.test(day) && developer ? { developerId: developer, day } : null;
  const setSelected = (s: SelectedDay | null) => setParams({ developer: s?.developerId ?? null, day: s?.day ?? null });
  const asked = Number(params.get('offset'));
  const offset = Number.isInteger(asked) && asked > 0 ? asked : 0;
  // The scope waits for the org's time zone (its days): nothing is asked before it.
  const scope = input ?? skipToken;
  const live = useQuery({
    ...trpc.parallel.live.queryOptions(scope),
    refetchInterval: LIVE_REFRESH_MS,
    refetchIntervalInBackground: false,
  });
  // The heatmap's page goes back to the first when the scope changes (the scope bar drops
  // `offset`); the previous page stays on screen while the next one loads, but never another scope's.
  const heatmap = useQuery({
    ...trpc.parallel.heatmap.queryOptions(input ? { ...input, offset, limit: HEATMAP_PAGE } : skipToken),
    placeholderData: (previous, previousQuery) => {
      const asked = (previousQuery?.queryKey[1] as { input?: Record<string, unknown> } | undefined)?.input;
      if (!asked) return undefined;
      const { offset: _o, limit: _l, ...previousScope } = asked;
      return JSON.stringify(previousScope) === JSON.stringify(input ?? null) ? previous : undefined;
    },
  });
  const distribution = useQuery(trpc.parallel.distribution.queryOptions(scope));
  const error = heatmap.error ?? distribution.error ?? live.error;

  return (
    <div className="page page-wide">
      <div className="page-header">
        <div>
          <h1>Parallel sessions</h1>
          <p className="muted">How many agents each developer in {orgName} runs at once: now, per day, and against criterion 3.</p>
        </div>
      </div>
      {/* Concurrency is a developer's across every repository: no repository to pick here. */}
      {input && timeZone ? <ScopeBar input={input} timeZone={timeZone} hideRepository /> : null}
      {input?.repositoryId ? (
        <p className="notice" data-testid="repository-not-applied">
          This link names a repository, but concurrency is a developer&rsquo;s across every repository (METRICS.md: Concurrency of a
          developer at time t), so this page counts them all, as criterion 3 on Evidence does.
        </p>
      ) : null}
      {error ? <FormMessage message={error.message} /> : null}
      <LiveStrip data={live.data} />
      <ConcurrencyHeatmap
        data={heatmap.data}
        selected={selected}
        onSelect={setSelected}
        paging={heatmap.isPlaceholderData}
        onPage={(next) => setParams({ offset: next > 0 ? String(next) : null })}
      />
      {selected && input ? <DayTimeline scope={input} selected={selected} onClose={() => setSelected(null)} /> : null}
      <MedianDistribution data={distribution.data} />
    </div>
  );
}
