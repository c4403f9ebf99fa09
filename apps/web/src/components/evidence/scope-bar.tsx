'use client';

// The scope of an evidence page, kept in the URL so a view can be shared and reloaded:
// ?from=YYYY-MM-DD&to=YYYY-MM-DD&team=<id>&repo=<id>. Days are the org's (its time zone).
import { dayOf } from '@parallax/metrics';
import { useQuery } from '@tanstack/react-query';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useOrg } from '~/components/org-context.tsx';
import { useTRPC } from '~/trpc/react.tsx';

export const PRESETS = [
  { key: '7d', label: 'Last 7 days', days: 7 },
  { key: '30d', label: 'Last 30 days', days: 30 },
  { key: '90d', label: 'Last 90 days', days: 90 },
  { key: '6m', label: 'Last 6 months', days: 182 },
  { key: '12m', label: 'Last 12 months', days: 365 },
] as const;

const DAY = 86_400_000;
const isDay = (v: string | null): v is string => !!v && /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v));
const shift = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);

export interface EvidenceScopeInput {
  orgId: string;
  from: string;
  to: string;
  teamId?: string;
  repositoryId?: string;
}

/** The page's scope from the URL, defaulting to the last 30 days up to today in the org's zone. */
export function useEvidenceScope(defaultDays = 30): { input: EvidenceScopeInput | null; timeZone: string | null } {
  const { orgId } = useOrg();
  const trpc = useTRPC();
  const params = useSearchParams();
  const org = useQuery(trpc.org.get.queryOptions({ orgId }));
  const timeZone = org.data?.timeZone ?? null;
  if (!timeZone) return { input: null, timeZone };
  const today = dayOf(Date.now(), timeZone);
  const to = isDay(params.get('to')) ? params.get('to')! : today;
  const from = isDay(params.get('from')) ? params.get('from')! : shift(to, -(defaultDays - 1));
  const team = params.get('team');
  const repo = params.get('repo');
  return {
    timeZone,
    input: { orgId, from, to, ...(team ? { teamId: team } : {}), ...(repo ? { repositoryId: repo } : {}) },
  };
}

/** Period presets, dates, team and repository; every change rewrites the URL. */
export function ScopeBar({ input, timeZone, hideRepository }: { input: EvidenceScopeInput; timeZone: string; hideRepository?: boolean }) {
  const { orgId } = useOrg();
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const teams = useQuery(trpc.team.list.queryOptions({ orgId }));
  const repos = useQuery(trpc.repository.list.queryOptions({ orgId }));
  const today = dayOf(Date.now(), timeZone);

  const set = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params.toString());
    // A page of a list belongs to the scope it listed: another scope starts at its first page.
    next.delete('offset');
    for (const [k, v] of Object.entries(changes)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    router.replace(`${pathname}?${next.toString()}`, { scroll: false });
  };
  const active = PRESETS.find((p) => input.to === today && input.from === shift(today, -(p.days - 1)))?.key ?? 'custom';

  return (
    <fieldset className="scope-bar" aria-label="Scope of the figures">
      <label>
        <span>Period</span>
        <select
          aria-label="Period"
          value={active}
          onChange={(e) => {
            const preset = PRESETS.find((p) => p.key === e.target.value);
            if (preset) set({ from: shift(today, -(preset.days - 1)), to: today });
          }}
        >
          {PRESETS.map((p) => (
            <option key={p.key} value={p.key}>
              {p.label}
            </option>
          ))}
          <option value="custom" disabled>
            Custom
          </option>
        </select>
      </label>
      <label>
        <span>From</span>
        <input
          type="date"
          aria-label="From"
          value={input.from}
          max={input.to}
          onChange={(e) => isDay(e.target.value) && set({ from: e.target.value })}
        />
      </label>
      <label>
        <span>To</span>
        <input
          type="date"
          aria-label="To"
          value={input.to}
          min={input.from}
          onChange={(e) => isDay(e.target.value) && set({ to: e.target.value })}
        />
      </label>
      <label>
        <span>Team</span>
        <select aria-label="Team" value={input.teamId ?? ''} onChange={(e) => set({ team: e.target.value || null })}>
          <option value="">Whole organization</option>
          {(teams.data ?? []).map((t) => (
            <option key={t.id} value={t.id}>
              {t.name}
            </option>
          ))}
        </select>
      </label>
      {!hideRepository && (
        <label>
          <span>Repository</span>
          <select aria-label="Repository" value={input.repositoryId ?? ''} onChange={(e) => set({ repo: e.target.value || null })}>
            <option value="">All repositories</option>
            {(repos.data ?? []).map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </select>
        </label>
      )}
      <span className="scope-bar-zone">Days in {timeZone}</span>
    </fieldset>
  );
}
