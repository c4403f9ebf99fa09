// What people see of sessions. Visibility follows the role: a developer sees their
// own sessions; roles that may read individuals see everyone's (PRODUCT.md §1).
import type { SessionStatus, Tx } from '@parallax/db';
import { notFound } from '@parallax/tenancy';
import { TERMINAL } from './lifecycle.ts';

export interface Viewer {
  userId: string;
  seesEveryone: boolean;
}

const visibleTo = (viewer: Viewer) => (viewer.seesEveryone ? {} : { developerId: viewer.userId });

export async function listSessions(
  tx: Tx,
  input: { orgId: string; viewer: Viewer; status?: SessionStatus[]; live?: boolean; limit?: number },
) {
  const rows = await tx.agentSession.findMany({
    where: {
      orgId: input.orgId,
      ...visibleTo(input.viewer),
      // endedAt for the index: under RLS a filter on the status enum alone reads every session (see unended).
      ...(input.live ? { status: { notIn: TERMINAL }, endedAt: null } : input.status ? { status: { in: input.status } } : {}),
    },
    include: {
      task: { select: { title: true, taskType: true } },
      invocation: { select: { receivedAt: true } },
      pullRequest: { select: { number: true, url: true, state: true, openedAt: true } },
    },
    orderBy: { queuedAt: 'desc' },
    take: input.limit ?? 200,
  });
  const developers = await tx.membership.findMany({
    where: { orgId: input.orgId, userId: { in: [...new Set(rows.map((r) => r.developerId))] } },
    include: { user: true },
  });
  const names = new Map(developers.map((d) => [d.userId, d.user.name ?? d.user.email]));
  return rows.map((r) => ({
    id: r.id,
    title: r.task.title,
    taskType: r.task.taskType,
    status: r.status,
    developerId: r.developerId,
    developerName: names.get(r.developerId) ?? 'former member',
    queuedAt: r.queuedAt,
    /** The invocation's receipt: where the SLA window and time to PR start (METRICS.md). */
    receivedAt: r.invocation.receivedAt,
    startedAt: r.startedAt,
    endedAt: r.endedAt,
    slaMinutes: r.slaMinutes,
    slaDeadline: r.slaDeadline,
    slaBreachedAt: r.slaBreachedAt,
    withdrawnByRequester: r.withdrawnByRequester,
    pullRequest: r.pullRequest,
  }));
}

export async function getSession(tx: Tx, input: { orgId: string; sessionId: string; viewer: Viewer }) {
  const s = await tx.agentSession.findFirst({
    where: { id: input.sessionId, orgId: input.orgId, ...visibleTo(input.viewer) },
    include: {
      task: true,
      invocation: true,
      repository: { select: { id: true, name: true, defaultBranch: true } },
      agentProfile: { select: { id: true, name: true, adapter: true } },
      pullRequest: true,
      events: { orderBy: { at: 'asc' } },
      interventions: { orderBy: { at: 'asc' } },
      retriedAs: { select: { id: true, status: true } },
    },
  });
  if (!s) throw notFound('Session');
  return s;
}

/** The session if the viewer may see it (for actions), else NOT_FOUND. */
export async function getSessionRef(tx: Tx, input: { orgId: string; sessionId: string; viewer: Viewer }) {
  const s = await tx.agentSession.findFirst({
    where: { id: input.sessionId, orgId: input.orgId, ...visibleTo(input.viewer) },
    select: { id: true, workflowId: true, status: true, developerId: true },
  });
  if (!s) throw notFound('Session');
  return s;
}
