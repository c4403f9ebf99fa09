// Who is in a generated org: developers on their own adoption curves, in teams of about seven,
// some working from other time zones, with the repositories and agents they use.
import type { Random } from './random.ts';

/**
 * How a developer takes to running agents in parallel (issue 9): leaders reach 3–5 parallel
 * sessions and 3x+, stallers plateau near 2 and 1.5x, late adopters start in the last part
 * of the history, `single` never runs more than one at a time and `idle` never starts.
 */
export type AdoptionKind = 'leader' | 'staller' | 'late' | 'single' | 'idle';

export interface DeveloperPlan {
  index: number;
  firstName: string;
  lastName: string;
  timeZone: string;
  kind: AdoptionKind;
  /** The most sessions they launch together once they have learned (1 for single). */
  peakParallel: number;
  /** Where in the history (0–1) they are halfway up their curve. */
  midpoint: number;
  /** Share of sessions with an intervention at the start, the floor they learn down to, and how fast (weeks). */
  interventionStart: number;
  interventionFloor: number;
  learningWeeks: number;
  /** Local hour their day starts. */
  startHour: number;
  team: number;
  /** The agent profile they use most (index into AGENT_PROFILES). */
  agent: number;
  role: 'ADMIN' | 'LEAD' | 'DEVELOPER';
}

export const AGENT_PROFILES = [
  { name: 'claude-code', adapter: 'CLAUDE_CODE' },
  { name: 'codex', adapter: 'CODEX' },
  { name: 'aider', adapter: 'AIDER' },
  { name: 'opencode', adapter: 'OPENCODE' },
  { name: 'script', adapter: 'SCRIPT' },
] as const;

const FIRST =
  'Ada Grace Alan Edsger Barbara Donald Margaret Ken Radia Linus Frances John Hedy Dennis Sophie Tim Katherine Guido Annie Bjarne Jean Niklaus Mary Leslie Shafi Yukihiro Anita Ravi Priya Mateo Lena Jonas Amara Kenji Ines Omar Freya Tariq'.split(
    ' ',
  );
const LAST =
  'Lovelace Hopper Turing Dijkstra Liskov Knuth Hamilton Thompson Perlman Torvalds Allen Backus Lamarr Ritchie Wilson Berners Johnson Rossum Easley Stroustrup Sammet Wirth Keller Lamport Goldwasser Matsumoto Borg Shankar Iyer Garcia Schmidt Weber Okafor'.split(
    ' ',
  );
export const TEAM_NAMES =
  'Platform Payments Checkout Search Identity Mobile Data Growth Billing Infra Messaging Ledger Catalog Risk Insights Edge'.split(' ');
const REPOSITORY_NAMES =
  'api-gateway web-app payments-service checkout search-indexer auth-service mobile-app data-pipeline billing infra-terraform notifications ledger catalog risk-engine analytics edge-proxy'.split(
    ' ',
  );

/** Most work from the org's zone; some from elsewhere, so "their morning" is not the org's. */
const ZONES: readonly (readonly [string | null, number])[] = [
  [null, 70],
  ['America/New_York', 12],
  ['Asia/Kolkata', 8],
  ['Europe/London', 6],
  ['America/Los_Angeles', 4],
];

export const TEAM_SIZE = 7;

/** The kinds in a group of developers: at least one leader and one who never goes parallel once there are three. */
function kindsFor(count: number, random: Random): AdoptionKind[] {
  const kinds: AdoptionKind[] = [];
  for (let i = 0; i < count; i++)
    kinds.push(
      random.weighted<AdoptionKind>([
        ['leader', 30],
        ['staller', 40],
        ['late', 15],
        ['single', 10],
        ['idle', 5],
      ]),
    );
  if (count >= 3) {
    kinds[0] = 'leader';
    kinds[1] = 'single';
    if (count >= 20) kinds[2] = 'idle';
  }
  // Shuffle so the guaranteed ones are not always the first names.
  for (let i = kinds.length - 1; i > 0; i--) {
    const j = random.int(0, i);
    [kinds[i], kinds[j]] = [kinds[j] as AdoptionKind, kinds[i] as AdoptionKind];
  }
  return kinds;
}

export function planDevelopers(count: number, random: Random, orgTimeZone: string): DeveloperPlan[] {
  const kinds = kindsFor(count, random.fork('kinds'));
  const teams = Math.max(1, Math.round(count / TEAM_SIZE));
  return kinds.map((kind, index) => {
    const r = random.fork(`developer:${index}`);
    const peakParallel =
      kind === 'leader' ? r.between(3.4, 5) : kind === 'staller' ? r.between(1.6, 2.3) : kind === 'late' ? r.between(2.4, 4) : 1;
    const midpoint = kind === 'leader' ? r.between(0.05, 0.35) : kind === 'late' ? r.between(0.7, 0.9) : r.between(0.2, 0.6);
    const team = index % teams;
    return {
      index,
      firstName: FIRST[index % FIRST.length] as string,
      lastName: LAST[Math.floor(index / FIRST.length + index) % LAST.length] as string,
      timeZone: r.weighted(ZONES) ?? orgTimeZone,
      kind,
      peakParallel,
      midpoint,
      interventionStart: r.between(0.35, 0.6),
      interventionFloor: kind === 'leader' ? r.between(0.05, 0.12) : r.between(0.12, 0.25),
      learningWeeks: kind === 'staller' ? r.between(6, 12) : r.between(2.5, 6),
      startHour: r.between(7.5, 10),
      team,
      agent: r.weighted([
        [0, 50],
        [1, 25],
        [2, 12],
        [3, 8],
        [4, 5],
      ]),
      role: index === 0 ? 'ADMIN' : index < teams ? 'LEAD' : 'DEVELOPER',
    };
  });
}

/** The developer's display name, unique within the org (a number when the pair repeats). */
export function developerName(d: DeveloperPlan): string {
  const round = Math.floor(d.index / (FIRST.length * LAST.length));
  return `${d.firstName} ${d.lastName}${round > 0 ? ` ${round + 1}` : ''}`;
}

export function teamNames(developers: number): string[] {
  const teams = Math.max(1, Math.round(developers / TEAM_SIZE));
  return Array.from({ length: teams }, (_, i) => {
    const base = TEAM_NAMES[i % TEAM_NAMES.length] as string;
    return i < TEAM_NAMES.length ? base : `${base} ${Math.floor(i / TEAM_NAMES.length) + 1}`;
  });
}

/** About one repository per five developers (3 to 40); each team works mostly in two or three of them. */
export function repositoryNames(developers: number): string[] {
  const count = Math.min(40, Math.max(3, Math.round(developers / 5)));
  return Array.from({ length: count }, (_, i) => {
    const base = REPOSITORY_NAMES[i % REPOSITORY_NAMES.length] as string;
    return i < REPOSITORY_NAMES.length ? base : `${base}-${Math.floor(i / REPOSITORY_NAMES.length) + 1}`;
  });
}

/** Where a developer's adoption curve stands at `t` (0–1 of the history): how many sessions they launch together. */
export function parallelLevel(d: DeveloperPlan, t: number): number {
  if (d.kind === 'single' || d.kind === 'idle') return 1;
  const steepness = d.kind === 'leader' ? 14 : 10;
  return 1 + (d.peakParallel - 1) / (1 + Math.exp(-steepness * (t - d.midpoint)));
}

/** The share of their sessions a developer steers, falling as they learn (weeks since the history began). */
export function interventionRate(d: DeveloperPlan, weeks: number): number {
  return d.interventionFloor + (d.interventionStart - d.interventionFloor) * Math.exp(-weeks / d.learningWeeks);
}
