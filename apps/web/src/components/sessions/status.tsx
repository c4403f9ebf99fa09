import type { AgentAdapter, PullRequestState, SessionStatus, TaskType } from '@parallax/db';

type Tone = 'neutral' | 'accent' | 'success' | 'danger' | 'warning';

// Every status the API can return; the Record type fails to compile when one is added.
const STATUSES: Record<SessionStatus, { label: string; tone: Tone; hasEnded: boolean }> = {
  QUEUED: { label: 'Queued', tone: 'neutral', hasEnded: false },
  PROVISIONING: { label: 'Provisioning', tone: 'accent', hasEnded: false },
  RUNNING: { label: 'Running', tone: 'accent', hasEnded: false },
  CHECKING: { label: 'Running checks', tone: 'accent', hasEnded: false },
  OPENING_PR: { label: 'Opening PR', tone: 'accent', hasEnded: false },
  SUCCEEDED: { label: 'Succeeded', tone: 'success', hasEnded: true },
  FAILED: { label: 'Failed', tone: 'danger', hasEnded: true },
  CANCELLED: { label: 'Cancelled', tone: 'neutral', hasEnded: true },
  TIMED_OUT: { label: 'Timed out', tone: 'danger', hasEnded: true },
};

export const TASK_TYPES: Record<TaskType, { label: string; hint: string }> = {
  STANDARD: { label: 'Standard', hint: 'A change of ordinary size.' },
  COMPLEX: { label: 'Complex', hint: 'A larger change; a longer SLA.' },
  INVESTIGATION: { label: 'Investigation', hint: 'Find the cause of a problem, e.g. from an incident.' },
};

export const ADAPTERS: Record<AgentAdapter, { label: string; hint: string }> = {
  SCRIPT: { label: 'Script', hint: 'A deterministic recipe of file edits and commands; no model. For demos and tests.' },
  CLAUDE_CODE: { label: 'Claude Code', hint: 'Claude Code in headless mode; must be installed where the worker runs.' },
  CODEX: { label: 'Codex CLI', hint: 'Codex CLI, non-interactive; must be installed where the worker runs.' },
  AIDER: { label: 'Aider', hint: 'Aider, non-interactive; must be installed where the worker runs.' },
  OPENCODE: { label: 'OpenCode', hint: 'OpenCode, non-interactive; must be installed where the worker runs.' },
  COMMAND: { label: 'Command', hint: 'Any command line, from a template with {prompt}, {worktree} and {branch}.' },
};

/** Whether the session is over (succeeded, failed, cancelled or timed out): nothing more will run. */
export function hasEnded(status: SessionStatus): boolean {
  return STATUSES[status].hasEnded;
}

export function statusLabel(status: SessionStatus): string {
  return STATUSES[status].label;
}

export function StatusBadge(props: { status: SessionStatus; testId?: string }) {
  const { label, tone, hasEnded } = STATUSES[props.status];
  const isWorking = !hasEnded && props.status !== 'QUEUED';
  return (
    <span className={`badge badge-${tone}`} data-status={props.status} data-testid={props.testId}>
      {isWorking ? <span className="pulse" aria-hidden /> : null}
      {label}
    </span>
  );
}

const PR_STATES: Record<PullRequestState, { label: string; tone: Tone }> = {
  OPEN: { label: 'open', tone: 'accent' },
  MERGED: { label: 'merged', tone: 'success' },
  CLOSED: { label: 'closed', tone: 'neutral' },
};

export function PullRequestStateBadge(props: { state: PullRequestState }) {
  const { label, tone } = PR_STATES[props.state];
  return <span className={`badge badge-${tone}`}>{label}</span>;
}
