// A generated session as the rows the fleet would have written for it: Task, Invocation,
// AgentSession, its SessionEvents in timeline order, Interventions and its PullRequest.
// Ids are the org's prefix and a counter, so two runs with one seed differ only by prefix.
import { createHash } from 'node:crypto';
import type { GeneratedSession, TaskType } from './sessions.ts';
import { type Row, type TableName, timestamp } from './tables.ts';

export interface OrgRefs {
  orgId: string;
  /** Unique per org: every generated id starts with it. */
  idPrefix: string;
  userIds: readonly string[];
  repositoryIds: readonly string[];
  repositoryNames: readonly string[];
  agentProfileIds: readonly string[];
  slaPolicyIds: Record<TaskType, string>;
  /** Nothing after the history's end is written (a cleanup seconds after the last end). */
  endsAt: number;
}

export type Chunk = Record<TableName, Row[]>;
export const emptyChunk = (): Chunk => ({
  Task: [],
  Invocation: [],
  AgentSession: [],
  SessionEvent: [],
  Intervention: [],
  PullRequest: [],
});

const TITLES: Record<TaskType, readonly string[]> = {
  STANDARD: [
    'Fix the flaky retry test',
    'Add input validation to the export endpoint',
    'Bump the logging library',
    'Remove the unused feature flag',
    'Handle an empty cart at checkout',
  ],
  COMPLEX: [
    'Split the billing worker into two queues',
    'Migrate sessions to the new token format',
    'Add pagination to every list endpoint',
  ],
  INVESTIGATION: ['Why did p95 latency rise on Tuesday?', 'Find where the duplicate emails come from', 'Triage the failing nightly build'],
};

export class RowBuilder {
  private sessions = 0;
  private events = 0;
  private interventions = 0;
  private readonly prNumbers = new Map<number, number>();
  /** The ids and tasks given, for a retry's link to its earlier try (added before it) and its task. */
  private readonly ids = new WeakMap<GeneratedSession, string>();
  private readonly tasks = new WeakMap<GeneratedSession, { title: string; prompt: string }>();

  constructor(private readonly refs: OrgRefs) {}

  private id(tag: string, n: number) {
    return `${this.refs.idPrefix}${tag}${n.toString(36)}`;
  }

  /** Appends the session's rows to `chunk`; answers how many rows it added. */
  add(chunk: Chunk, s: GeneratedSession, ordinal: number): number {
    const { orgId } = this.refs;
    const n = this.sessions++;
    const sessionId = this.id('s', n);
    this.ids.set(s, sessionId);
    const taskId = this.id('t', n);
    const invocationId = this.id('i', n);
    const developerId = this.refs.userIds[s.developer] as string;
    const actorUserId = s.actor === null ? null : (this.refs.userIds[s.actor] as string);
    const repositoryId = this.refs.repositoryIds[s.repository] as string;
    const agentProfileId = this.refs.agentProfileIds[s.agent] as string;
    const titles = TITLES[s.taskType];
    // Every task its own ticket, so no two first tries read as the same prompt (the fleet takes
    // the same prompt again, after a failure, for a retry); a retry runs its earlier try's task.
    const earlier = s.retryOf ? this.tasks.get(s.retryOf) : undefined;
    const ticketTitle = titles[ordinal % titles.length] as string;
    const { title, prompt } = earlier ?? { title: ticketTitle, prompt: `${ticketTitle} (ticket PX-${1000 + n}).` };
    this.tasks.set(s, { title, prompt });
    const branch = `parallax/${sessionId}`;
    const deadline = s.receivedAt + s.slaMinutes * 60_000;
    const before = rowCount(chunk);
    chunk.Task.push([taskId, orgId, actorUserId, repositoryId, agentProfileId, title, prompt, s.taskType, timestamp(s.queuedAt)]);
    const externalRef =
      s.channel === 'WEB' || s.channel === 'CLI' || s.channel === 'API'
        ? null
        : `${s.actorExternal ?? s.channel.toLowerCase()}:${sessionId}`;
    const digest = createHash('sha256').update(`session ${n}`).digest('hex');
    chunk.Invocation.push([
      invocationId,
      orgId,
      s.channel,
      actorUserId,
      s.actorExternal,
      timestamp(s.receivedAt),
      timestamp(s.queuedAt - 20),
      timestamp(s.queuedAt + 30),
      externalRef,
      digest,
      taskId,
    ]);
    chunk.AgentSession.push([
      sessionId,
      orgId,
      taskId,
      invocationId,
      developerId,
      repositoryId,
      agentProfileId,
      `session-${sessionId}`,
      s.status,
      timestamp(s.queuedAt),
      timestamp(s.startedAt),
      timestamp(s.endedAt),
      s.cancelledWhileQueued,
      // The generator's queued tasks are withdrawn by whoever asked for them.
      s.cancelledWhileQueued,
      s.isUnattended,
      s.startedAt === null ? null : branch,
      this.refs.slaPolicyIds[s.taskType],
      s.slaMinutes,
      timestamp(deadline),
      timestamp(s.slaBreachedAt),
      s.checksPassed,
      s.agentExitCode,
      s.startedAt === null ? null : 'bubblewrap',
      s.costUsd,
      s.failureReason,
      s.cancelled ? (actorUserId ?? developerId) : null,
      timestamp(s.queuedAt),
      s.retryOf ? (this.ids.get(s.retryOf) ?? null) : null,
    ]);
    const event = (type: string, at: number | null, dedupeKey: string, data: Record<string, unknown> = {}) => {
      if (at === null || at >= this.refs.endsAt) return;
      chunk.SessionEvent.push([this.id('e', this.events++), orgId, sessionId, type, timestamp(at), JSON.stringify(data), dedupeKey]);
    };
    event('QUEUED', s.queuedAt, 'queued', {
      channel: s.channel,
      slaMinutes: s.slaMinutes,
      slaPolicyId: this.refs.slaPolicyIds[s.taskType],
    });
    if (s.cancelledWhileQueued) event('CANCEL_REQUESTED', (s.endedAt as number) - 200, 'cancel-requested', { whileQueued: true });
    if (s.startedAt !== null) {
      event('ADMITTED', s.startedAt - 1200, 'admitted');
      event('WORKSPACE_READY', s.startedAt - 400, 'workspace-ready', { branch, dbSchema: null });
      event('STARTED', s.startedAt, 'started');
    }
    for (const i of s.interventions) {
      const interventionId = this.id('v', this.interventions++);
      chunk.Intervention.push([interventionId, orgId, sessionId, developerId, i.kind, i.message, timestamp(i.at)]);
      event('INTERVENTION', i.at, `intervention:${interventionId}`, { kind: i.kind, actorUserId: developerId });
    }
    if (s.slaBreachedAt !== null) event('SLA_BREACHED', s.slaBreachedAt, 'sla-breached', { slaMinutes: s.slaMinutes });
    if (s.cancelled && !s.cancelledWhileQueued) event('CANCEL_REQUESTED', (s.endedAt as number) - 500, 'cancel-requested');
    event('AGENT_EXITED', s.agentExitedAt, 'agent-exited', { exitCode: s.agentExitCode, ok: s.agentExitCode === 0 });
    if (s.checksPassed !== null) event(s.checksPassed ? 'CHECKS_PASSED' : 'CHECKS_FAILED', (s.agentExitedAt as number) + 15_000, 'checks');
    const pr = s.pullRequest;
    let number = 0;
    if (pr) {
      number = (this.prNumbers.get(s.repository) ?? 0) + 1;
      this.prNumbers.set(s.repository, number);
      const url = `local://${this.refs.repositoryNames[s.repository]}/pull/${number}`;
      chunk.PullRequest.push([
        this.id('p', n),
        orgId,
        sessionId,
        repositoryId,
        'LOCAL',
        number,
        url,
        title,
        `${title}.\n\nOpened by a Parallax agent session.`,
        branch,
        'main',
        pr.state,
        pr.filesChanged,
        pr.linesAdded,
        pr.linesDeleted,
        digest.slice(0, 40),
        timestamp(pr.openedAt),
        timestamp(pr.firstReviewAt),
        timestamp(pr.mergedAt),
        pr.mergedAt === null ? null : developerId,
        pr.mergedAt === null ? null : digest.slice(24, 64),
        timestamp(pr.closedAt),
      ]);
      event('PR_OPENED', pr.openedAt, 'pr-opened', { number, url, forge: 'LOCAL' });
    }
    if (s.endedAt !== null) event('ENDED', s.endedAt, 'ended', { status: s.status, failureReason: s.failureReason });
    if (s.endedAt !== null) event('CLEANED_UP', s.endedAt + 3000, 'cleaned-up', { branchKept: pr?.state === 'OPEN' });
    if (pr?.mergedAt) event('PR_MERGED', pr.mergedAt, 'pr-merged', { number, mergedBy: developerId });
    if (pr?.closedAt) event('PR_CLOSED', pr.closedAt, `pr-closed:${timestamp(pr.closedAt)}`, { number });
    return rowCount(chunk) - before;
  }
}

export const rowCount = (chunk: Chunk) =>
  chunk.Task.length +
  chunk.Invocation.length +
  chunk.AgentSession.length +
  chunk.SessionEvent.length +
  chunk.Intervention.length +
  chunk.PullRequest.length;
