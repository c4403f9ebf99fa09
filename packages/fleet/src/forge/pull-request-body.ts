// The body of every PR a session opens: a summary a reviewer reads in ten seconds, and
// the same facts as JSON in an HTML comment so Parallax can read its own PRs back.
import { slaVerdict, timeToPr } from '@parallax/metrics';
import { z } from 'zod';
import type { DiffStats } from './forge.ts';

export type Risk = 'low' | 'medium' | 'high';
export type SuggestedAction = 'review-and-merge' | 'review-carefully' | 'fix-checks' | 'run-checks' | 'close';

/** A change is low risk within `low` (files and lines added + deleted), medium within `medium`, else high. */
export const RISK_THRESHOLDS = { low: { files: 5, lines: 100 }, medium: { files: 15, lines: 500 } } as const;

export interface PullRequestBodyOptions {
  taskTitle: string;
  prompt: string;
  /** The agent profile or adapter that did the work, e.g. "claude-code". */
  agent: string;
  summary?: string;
  checks: { passed: boolean | null; command?: string; outputTail?: string };
  stats: DiffStats;
  files: string[];
  /** The SLA facts (METRICS.md "PR within SLA"): the verdict and time to PR are @parallax/metrics', never computed here. */
  sla?: { receivedAt: Date; minutes: number; prOpenedAt: Date };
}

export const ZPullRequestMetadata = z.object({
  version: z.literal(1),
  task: z.string(),
  agent: z.string(),
  checks: z.object({ passed: z.boolean().nullable(), command: z.string().nullable() }),
  stats: z.object({ filesChanged: z.number(), linesAdded: z.number(), linesDeleted: z.number() }),
  risk: z.enum(['low', 'medium', 'high']),
  suggestedAction: z.enum(['review-and-merge', 'review-carefully', 'fix-checks', 'run-checks', 'close']),
  slaMinutes: z.number().nullable(),
  timeToPrMinutes: z.number().nullable(),
  files: z.array(z.string()),
});
export type TPullRequestMetadata = z.infer<typeof ZPullRequestMetadata>;

const MARKER = 'parallax:pull-request';
const LISTED_FILES = 50;
const MAX_PROMPT = 2_000;
const MAX_OUTPUT_LINES = 40;
const MAX_OUTPUT_CHARS = 3_000;

/** The PR's SLA outcome by the one definition; a PR that opens is owed, so within or breached. */
function slaOf(s: NonNullable<PullRequestBodyOptions['sla']>) {
  const facts = {
    receivedAt: s.receivedAt,
    slaMinutes: s.minutes,
    prOpenedAt: s.prOpenedAt,
    shouldProducePr: true,
    withdrawnByRequester: false,
  };
  const timeToPrMs = timeToPr(facts)!;
  return { timeToPrMs, overMs: timeToPrMs - s.minutes * 60_000, breached: slaVerdict(facts, s.prOpenedAt) === 'breached' };
}

const minutes = (ms: number) => (Math.round(ms / 6_000) / 10).toFixed(1).replace(/\.0$/, '');

export function assessRisk(stats: DiffStats): Risk {
  const lines = stats.linesAdded + stats.linesDeleted;
  const within = (t: { files: number; lines: number }) => stats.filesChanged <= t.files && lines <= t.lines;
  if (within(RISK_THRESHOLDS.low)) return 'low';
  return within(RISK_THRESHOLDS.medium) ? 'medium' : 'high';
}

export function suggestAction(o: Pick<PullRequestBodyOptions, 'checks' | 'stats'>): SuggestedAction {
  if (o.stats.filesChanged === 0) return 'close';
  if (o.checks.passed === false) return 'fix-checks';
  if (o.checks.passed === null) return 'run-checks';
  return assessRisk(o.stats) === 'high' ? 'review-carefully' : 'review-and-merge';
}

const ACTION_TEXT: Record<SuggestedAction, string> = {
  'review-and-merge': 'Review and merge.',
  'review-carefully': 'Review carefully before merging: this is a large change; consider asking for it to be split.',
  'fix-checks': 'Checks failed: fix before merging.',
  'run-checks': 'Checks did not run: run them before merging.',
  close: 'Nothing changed: close this pull request.',
};

export function buildPullRequestBody(o: PullRequestBodyOptions): string {
  const risk = assessRisk(o.stats);
  const action = suggestAction(o);
  const { low, medium } = RISK_THRESHOLDS;
  const listed = o.files.slice(0, LISTED_FILES).map((f) => `- ${inlineCode(f)}`);
  if (o.files.length > LISTED_FILES) listed.push(`- …and ${o.files.length - LISTED_FILES} more`);

  const sections = [
    `## Summary\n\n${neutraliseComments(o.summary?.trim() || `The agent worked on: ${plainText(o.taskTitle)}`)}\n\n` +
      `**Task:** ${plainText(o.taskTitle)}  \n**Agent:** ${plainText(o.agent)}`,
    details('Prompt', fenced(truncate(o.prompt, MAX_PROMPT))),
    `## What changed\n\n${count(o.stats.filesChanged, 'file')}, +${o.stats.linesAdded} −${o.stats.linesDeleted} lines\n\n${listed.join('\n')}`.trimEnd(),
    `## Checks\n\n${checksLine(o.checks)}${o.checks.outputTail ? `\n\n${details('Output (last lines)', fenced(tail(o.checks.outputTail)))}` : ''}`,
    `## Risk: ${risk}\n\n${count(o.stats.filesChanged, 'file')} and ${count(o.stats.linesAdded + o.stats.linesDeleted, 'line')} touched. ` +
      `Low: at most ${low.files} files and ${low.lines} lines; medium: at most ${medium.files} files and ${medium.lines} lines; high: more.`,
    `## Suggested action\n\n${ACTION_TEXT[action]}`,
  ];
  const sla = o.sla && slaOf(o.sla);
  if (sla) {
    // Minutes to a tenth, so that 30.4 against 30 reads as the breach it is.
    // A breach of a few seconds still reads as one (never "by 0 min").
    const verdict = sla.breached ? `SLA breached by ${minutes(Math.max(sla.overMs, 6_000))} min` : 'within SLA';
    sections.push(`## SLA\n\nOpened ${minutes(sla.timeToPrMs)} min after the request; SLA ${o.sla!.minutes} min: ${verdict}.`);
  }
  const metadata: TPullRequestMetadata = {
    version: 1,
    task: o.taskTitle,
    agent: o.agent,
    checks: { passed: o.checks.passed, command: o.checks.command ?? null },
    stats: { filesChanged: o.stats.filesChanged, linesAdded: o.stats.linesAdded, linesDeleted: o.stats.linesDeleted },
    risk,
    suggestedAction: action,
    slaMinutes: o.sla?.minutes ?? null,
    timeToPrMinutes: sla ? Number(minutes(sla.timeToPrMs)) : null,
    files: o.files.slice(0, 200),
  };
  // Escaping < and > keeps any string in the JSON from closing the comment early.
  const json = JSON.stringify(metadata).replace(/</g, '\\u003c').replace(/>/g, '\\u003e');
  sections.push(`<!-- ${MARKER}\n${json}\n-->`);
  return `${sections.join('\n\n')}\n`;
}

/** The metadata block of a body buildPullRequestBody wrote, or null (a human's PR, an edited body). */
export function readPullRequestMetadata(body: string): TPullRequestMetadata | null {
  const match = new RegExp(`<!-- ${MARKER}\\n(.*)\\n-->`).exec(body);
  if (!match?.[1]) return null;
  try {
    const parsed = ZPullRequestMetadata.safeParse(JSON.parse(match[1]));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Text shown as text: no HTML, so a title cannot open a comment that hides the rest of the body. */
function plainText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The summary is the agent's Markdown; only an HTML comment opener is defused. */
function neutraliseComments(markdown: string): string {
  return markdown.replace(/<!--/g, '&lt;!--');
}

function checksLine(checks: PullRequestBodyOptions['checks']): string {
  const command = checks.command ? ` (${inlineCode(checks.command)})` : '';
  if (checks.passed === true) return `✅ Passed${command}`;
  if (checks.passed === false) return `❌ Failed${command}`;
  return `⚪ Not run${command}`;
}

function details(summary: string, content: string): string {
  return `<details><summary>${summary}</summary>\n\n${content}\n\n</details>`;
}

/** A fence longer than any run of backticks inside, so the content cannot end it. */
function fenced(text: string): string {
  const fence = '`'.repeat(Math.max(3, longestBacktickRun(text) + 1));
  return `${fence}text\n${text}\n${fence}`;
}

function inlineCode(text: string): string {
  const ticks = '`'.repeat(longestBacktickRun(text) + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${ticks}${pad}${text}${pad}${ticks}`;
}

function longestBacktickRun(text: string): number {
  return Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}\n…(truncated)`;
}

function tail(output: string): string {
  const lines = output.trimEnd().split('\n').slice(-MAX_OUTPUT_LINES).join('\n');
  return lines.length <= MAX_OUTPUT_CHARS ? lines : lines.slice(-MAX_OUTPUT_CHARS);
}
