// The fleet benchmark's workload, through the product's own entry points: one org with
// many developers and one origin repository, script-agent sessions dispatched with
// dispatchTask, and their timelines read back from the session events.
import type { Database } from '@parallax/db';
import { dispatchTask, TERMINAL } from '@parallax/fleet';
import { addDeveloper, createFleetOrg, createOriginRepo, type OriginRepo } from '@parallax/fleet/testing';
import type { FleetEngine } from '@parallax/temporal/client';

export interface BenchOrg {
  orgId: string;
  repositoryId: string;
  /** The owner first, then the added developers. */
  developerIds: string[];
  origin: OriginRepo;
}

export interface DispatchedSession {
  sessionId: string;
  workflowId: string;
  developerId: string;
}

export interface SessionTimeline {
  sessionId: string;
  status: string;
  failureReason: string | null;
  hasPullRequest: boolean;
  /** Where its agent and checks ran, as the worker recorded it: 'bubblewrap', 'unsandboxed', or null before the agent ran. */
  sandboxMode: string | null;
  /** Epoch ms of the first event of each type. */
  at: Partial<Record<string, number>>;
}

export async function createBenchOrg(
  db: Database,
  reposDir: string,
  options: { developers: number; developerCap: number; orgCap: number; testCommand: string },
): Promise<BenchOrg> {
  const origin = await createOriginRepo(reposDir, { 'README.md': '# fleet benchmark\n' });
  const org = await createFleetOrg(db, {
    developerCap: options.developerCap,
    repository: { localPath: origin.path, testCommand: options.testCommand },
  });
  await db.forOrg(org.orgId, (tx) => tx.organization.update({ where: { id: org.orgId }, data: { orgConcurrencyCap: options.orgCap } }));
  const others = await mapConcurrently(Array.from({ length: options.developers - 1 }), 8, () => addDeveloper(db, org.orgId));
  return { orgId: org.orgId, repositoryId: org.repositoryId, developerIds: [org.developerId, ...others], origin };
}

/** What each session's script agent does: write a file, then "think" for a fixed time. */
export function benchRecipe(index: number, sleepMs: number): string {
  return JSON.stringify({
    steps: [{ write: { path: `bench/session-${index}.txt`, content: `session ${index}\n` } }, { sleep: { ms: sleepMs } }],
    summary: `wrote bench/session-${index}.txt`,
  });
}

/**
 * Processes each session spawns in its sandbox with benchRecipe: the write step's
 * `/bin/sh` (the script agent edits files through a sandboxed shell) and the checks'
 * `/bin/sh -c true`. The sleep runs in the worker, not in a process.
 */
export const SANDBOXED_SPAWNS_PER_SESSION = 2;
/** runAgent and runChecks each open the session's sandbox and close it. */
export const SANDBOX_OPENS_PER_SESSION = 2;

/** Dispatches `count` sessions round-robin over the developers, `concurrency` requests at a time. */
export async function dispatchSessions(
  db: Database,
  fleet: FleetEngine,
  org: BenchOrg,
  options: { count: number; firstIndex: number; sleepMs: number; concurrency: number },
): Promise<DispatchedSession[]> {
  const indexes = Array.from({ length: options.count }, (_, k) => options.firstIndex + k);
  return mapConcurrently(indexes, options.concurrency, async (index) => {
    const developerId = org.developerIds[index % org.developerIds.length]!;
    const title = `bench session ${index}`;
    const { sessionId, workflowId } = await dispatchTask(
      db,
      { orgId: org.orgId, developerId, channel: 'API', actorUserId: developerId, rawPayload: { title } },
      { repositoryId: org.repositoryId, title, prompt: benchRecipe(index, options.sleepMs) },
      (args) => fleet.startSession(args),
    );
    return { sessionId, workflowId, developerId };
  });
}

/** Waits until every session has ended (true) or the time is up (false); reports the count per status every `progressMs`. */
export async function waitForSessions(
  db: Database,
  orgId: string,
  sessionIds: string[],
  options: {
    timeoutMs: number;
    progressMs?: number;
    onProgress?: (byStatus: Record<string, number>) => void;
    isAborted?: () => string | null;
  },
): Promise<boolean> {
  const deadline = Date.now() + options.timeoutMs;
  let lastProgress = 0;
  for (;;) {
    const rows = await db.forOrg(orgId, (tx) =>
      tx.agentSession.groupBy({ by: ['status'], where: { id: { in: sessionIds } }, _count: { _all: true } }),
    );
    const byStatus = Object.fromEntries(rows.map((r) => [r.status, r._count._all]));
    const ended = rows.filter((r) => TERMINAL.includes(r.status)).reduce((n, r) => n + r._count._all, 0);
    if (ended === sessionIds.length) {
      options.onProgress?.(byStatus);
      return true;
    }
    if (Date.now() - lastProgress >= (options.progressMs ?? 5_000)) {
      options.onProgress?.(byStatus);
      lastProgress = Date.now();
    }
    const aborted = options.isAborted?.();
    if (aborted) throw new Error(aborted);
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Ended sessions record CLEANED_UP once their copy is removed; waits (up to `timeoutMs`) until those that ended have. */
export async function waitForCleanedUp(db: Database, orgId: string, sessionIds: string[], timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [ended, cleaned] = await db.forOrg(orgId, (tx) =>
      Promise.all([
        tx.sessionEvent.count({ where: { sessionId: { in: sessionIds }, type: 'ENDED' } }),
        tx.sessionEvent.count({ where: { sessionId: { in: sessionIds }, type: 'CLEANED_UP' } }),
      ]),
    );
    if (cleaned >= ended) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 250));
  }
}

export async function readTimelines(db: Database, orgId: string, sessionIds: string[]): Promise<SessionTimeline[]> {
  const [sessions, events] = await db.forOrg(orgId, (tx) =>
    Promise.all([
      tx.agentSession.findMany({
        where: { id: { in: sessionIds } },
        select: { id: true, status: true, failureReason: true, sandboxMode: true, pullRequest: { select: { id: true } } },
      }),
      tx.sessionEvent.findMany({ where: { sessionId: { in: sessionIds } }, select: { sessionId: true, type: true, at: true } }),
    ]),
  );
  const at = new Map<string, Partial<Record<string, number>>>(sessionIds.map((id) => [id, {}]));
  for (const e of events) {
    const times = at.get(e.sessionId)!;
    times[e.type] = Math.min(times[e.type] ?? Number.POSITIVE_INFINITY, e.at.getTime());
  }
  return sessions.map((s) => ({
    sessionId: s.id,
    status: s.status,
    failureReason: s.failureReason,
    hasPullRequest: s.pullRequest !== null,
    sandboxMode: s.sandboxMode,
    at: at.get(s.id) ?? {},
  }));
}

async function mapConcurrently<T, R>(items: T[], concurrency: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const k = next++;
      results[k] = await work(items[k]!);
    }
  });
  await Promise.all(lanes);
  return results;
}
