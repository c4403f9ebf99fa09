// The agent session's activities: each step of PRODUCT.md §3 as one retryable unit.
// The knowledge lives in @parallax/fleet; here it meets Temporal (heartbeats, cancel,
// retry policy) and the worker's configuration (where workspaces live, which forge).
// Every activity is safe to run twice: a worker may die between any two lines.
import path from 'node:path';
import type { Database } from '@parallax/db';
import {
  appendSessionLog,
  admitNext as admitQueued,
  endSession as endSessionRecord,
  getQueuePositions,
  interventionsSince,
  markPhase,
  markStarted,
  nextLogSeq,
  recordAgentExit,
  recordChecks,
  recordSandboxMode,
  recordIntervention as recordInterventionRecord,
  recordCleanedUp,
  recordSlaBreachIfNoPr,
  recordWorkspaceReady,
} from '@parallax/fleet';
import {
  createInterventionInbox,
  createLogSink,
  type LogSink,
  runAgent as runAgentProcess,
  stopSessionLeftovers,
} from '@parallax/fleet/agents';
import { commitAgentWork, runChecks as runChecksProcess } from '@parallax/fleet/delivery';
import { buildPullRequestBody, diffStats } from '@parallax/fleet/forge';
import {
  mirrorPath,
  prepareWorkspace as prepare,
  reclaimSessionClone,
  releaseWorkspace as release,
  SANDBOX_DATABASE_PORT,
  schemaServerAddress,
  type Workspace,
  workspaceOf,
} from '@parallax/fleet/workspace';
import { openSandbox, type Sandbox, type SandboxSettings, SandboxUnavailableError } from '@parallax/sandbox';
import { openAgentSecrets } from '@parallax/secrets';
import { AppError } from '@parallax/tenancy';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { type ForgeConfig, forgeFor } from './forges.ts';
import { createRepositoryCommandActivities } from './repository-commands.ts';

export interface FleetConfig {
  /** Worktrees under `<dataDir>/workspaces`, mirrors under `<dataDir>/mirrors`. */
  dataDir: string;
  /** A server where sessions may create their schema (PARALLAX_SESSION_DATABASE_URL, else DATABASE_URL). */
  schemaDatabaseUrl?: string;
  forges?: ForgeConfig;
  /** How often the running agent's mailbox is read for new interventions. */
  interventionPollMs?: number;
  /** Where agents and checks run; default: the bubblewrap sandbox, failing closed where it cannot be set up. */
  sandbox?: SandboxSettings;
  /**
   * How long a repository's setup command may run (default 30 min) and its teardown command
   * (default 5 min; keep it under the 7 minutes the workflow gives the teardown activity).
   */
  setupTimeoutMs?: number;
  teardownTimeoutMs?: number;
}

/** Sandbox uids start here; each live session's is unique because its port block is. */
const SANDBOX_UID_BASE = 100_000;

interface Ref {
  orgId: string;
  sessionId: string;
}

/** How often running activities heartbeat; with the worker's 2 s throttle, how soon a cancel lands. */
const HEARTBEAT_MS = 2_000;

export type EndStatus = 'SUCCEEDED' | 'FAILED' | 'CANCELLED';

export function createFleetActivities({ db, fleet }: { db: Database; fleet: FleetConfig }) {
  const dirs = {
    workspacesDir: path.join(fleet.dataDir, 'workspaces'),
    mirrorsDir: path.join(fleet.dataDir, 'mirrors'),
    schemaDatabaseUrl: fleet.schemaDatabaseUrl,
  };
  const forges = forgeFor(db, fleet.forges ?? {});
  const pollMs = fleet.interventionPollMs ?? 2_000;
  const sandboxSettings: SandboxSettings = fleet.sandbox ?? { mode: 'bubblewrap' };

  /**
   * The session's sandbox for one activity: its copy read-write, its mirror's objects
   * read-only, the hosts its agent profile allows. One that cannot be set up fails the
   * session at once, with the reason: it will not fix itself on retry.
   */
  async function openSessionSandbox(
    session: Awaited<ReturnType<typeof loadSession>>,
    workspace: Workspace,
    log: LogSink,
  ): Promise<Sandbox> {
    try {
      const sandbox = await openSandbox({
        mode: sandboxSettings.mode,
        workdir: workspace.worktreePath,
        homeDir: path.join(fleet.dataDir, 'sandbox', 'homes', session.id),
        runtimeDir: path.join(fleet.dataDir, 'sandbox', 'run', session.id),
        readOnly: [path.join(mirrorPath(dirs.mirrorsDir, session.repositoryId), 'objects')],
        toolchains: sandboxSettings.toolchains,
        hostServicePorts: sandboxSettings.hostServicePorts,
        allowedHosts: session.agentProfile?.allowedHosts ?? [],
        uid: SANDBOX_UID_BASE + workspace.ports.start,
        // The session's own database, and only that server, on the sandbox's loopback.
        forwards:
          workspace.dbSchema && dirs.schemaDatabaseUrl
            ? [{ port: SANDBOX_DATABASE_PORT, target: schemaServerAddress(dirs.schemaDatabaseUrl) }]
            : [],
        protectedDirs: [fleet.dataDir],
        onRefused: (target, reason) => log.write(`[parallax] sandbox: refused a connection to ${target}: ${reason}\n`),
        limits: sandboxSettings.limits,
        onNotice: (message) => log.write(`[parallax] sandbox: ${message}\n`),
      });
      await recordSandboxMode(db, { orgId: session.orgId, sessionId: session.id }, sandbox.mode);
      if (sandbox.mode === 'unsandboxed')
        log.write('[parallax] UNSANDBOXED: this worker runs agents without a sandbox (PARALLAX_SANDBOX=off)\n');
      return sandbox;
    } catch (err) {
      if (err instanceof SandboxUnavailableError) {
        log.write(`[parallax] ${err.message}\n`);
        await log.flush().catch(() => {});
        throw ApplicationFailure.nonRetryable(err.message, 'SandboxUnavailable');
      }
      throw err;
    }
  }

  async function loadSession(ref: Ref) {
    const session = await db.forOrg(ref.orgId, (tx) =>
      tx.agentSession.findUnique({
        where: { id: ref.sessionId },
        include: { task: true, repository: true, agentProfile: true, invocation: { select: { receivedAt: true } } },
      }),
    );
    return session ?? sessionGone(ref);
  }

  function preparedWorkspace(session: Awaited<ReturnType<typeof loadSession>>): Workspace {
    const workspace = workspaceOf(session, dirs.schemaDatabaseUrl);
    if (!workspace) throw ApplicationFailure.nonRetryable(`session ${session.id} has no workspace; prepare it first`, 'NoWorkspace');
    return workspace;
  }

  /** The session log, continuing the stored numbering so a retried attempt appends after the last one. */
  async function openLog(ref: Ref): Promise<LogSink> {
    return createLogSink({ write: (batch) => appendSessionLog(db, ref, batch), startSeq: await nextLogSeq(db, ref) });
  }

  /** A worker killed mid-run left its agent's process group behind on this host: stop it before starting again. */
  async function stopLeftovers(ref: Ref, log: LogSink): Promise<void> {
    const stopped = await stopSessionLeftovers(ref.sessionId);
    if (stopped.length > 0) log.write(`[parallax] stopped ${stopped.length} process(es) a previous attempt left running\n`);
  }

  /** Tells the workflows of sessions that admission let in; they would otherwise find out at their next recheck. */
  async function admitAndTell(orgId: string, self?: string): Promise<void> {
    const admitted = await admitQueued(db, orgId);
    const client = Context.current().client;
    await Promise.all(
      admitted
        .filter((a) => a.sessionId !== self)
        .map(
          (a) =>
            client.workflow
              .getHandle(a.workflowId)
              .signal('admit')
              .catch(() => {}), // gone (cancelled meanwhile): it asks for admission itself if it ever runs
        ),
    );
  }

  async function openPullRequest(ref: Ref): Promise<{ number: number; url: string }> {
    const session = await loadSession(ref);
    const workspace = preparedWorkspace(session);
    await markPhase(db, ref, 'OPENING_PR');
    const forge = await forges(session.repository);
    const profile = session.agentProfile;
    const agent = profile?.name ?? 'agent';
    await userErrorsFinal(() =>
      reclaimSessionClone({
        worktreePath: workspace.worktreePath,
        mirror: mirrorPath(dirs.mirrorsDir, session.repositoryId),
        branch: workspace.branch,
      }),
    );
    await commitAgentWork({
      worktree: workspace.worktreePath,
      baseCommit: workspace.baseCommit,
      message: `${session.task.title}\n\nWritten by an agent dispatched through Parallax (session ${session.id}).`,
      author: { name: `${agent} (Parallax agent)`, email: `agent+${profile?.adapter.toLowerCase() ?? 'unknown'}@parallax.invalid` },
    });
    const stats = await diffStats({ worktree: workspace.worktreePath, base: workspace.baseCommit });
    if (stats.filesChanged === 0)
      throw ApplicationFailure.nonRetryable('the agent changed nothing; there is nothing to open a pull request for', 'NoChanges');
    await forge.push({ orgId: ref.orgId, repositoryId: session.repositoryId, worktree: workspace.worktreePath, branch: workspace.branch });
    const opened = await forge.openPullRequest({
      orgId: ref.orgId,
      sessionId: ref.sessionId,
      repositoryId: session.repositoryId,
      headBranch: workspace.branch,
      baseBranch: session.repository.defaultBranch,
      title: session.task.title,
      body: buildPullRequestBody({
        taskTitle: session.task.title,
        prompt: session.task.prompt,
        agent: profile ? `${profile.name} (${profile.adapter.toLowerCase()})` : 'agent',
        checks: {
          passed: session.checksPassed,
          command: session.repository.testCommand ?? undefined,
          outputTail: session.checksOutputTail ?? undefined,
        },
        stats,
        files: stats.files,
        // METRICS.md: from the invocation's receipt, the clock the SLA deadline runs on; the PR opens now.
        ...(session.slaMinutes === null
          ? {}
          : { sla: { receivedAt: session.invocation.receivedAt, minutes: session.slaMinutes, prOpenedAt: new Date() } }),
      }),
      stats,
    });
    return { number: opened.number, url: opened.url };
  }

  return {
    ...createRepositoryCommandActivities({
      loadSession,
      preparedWorkspace,
      workspaceOf: (session) => workspaceOf(session, dirs.schemaDatabaseUrl),
      openLog,
      stopLeftovers,
      openSessionSandbox,
      setupTimeoutMs: fleet.setupTimeoutMs,
      teardownTimeoutMs: fleet.teardownTimeoutMs,
    }),

    async loadSessionTimes(ref: Ref): Promise<{ slaDeadline: number | null }> {
      const s = await loadSession(ref);
      return { slaDeadline: s.slaDeadline?.getTime() ?? null };
    },

    async recordSlaBreach(ref: Ref): Promise<boolean> {
      return recordSlaBreachIfNoPr(db, ref);
    },

    /** Admits what the caps allow; says whether this session is in and, if not, its place in line. */
    async requestAdmission(ref: Ref): Promise<{ admitted: boolean; position: number | null }> {
      await admitAndTell(ref.orgId, ref.sessionId);
      const s =
        (await db.forOrg(ref.orgId, (tx) => tx.agentSession.findUnique({ where: { id: ref.sessionId }, select: { status: true } }))) ??
        sessionGone(ref);
      if (s.status !== 'QUEUED') return { admitted: true, position: null };
      const positions = await getQueuePositions(db, ref.orgId);
      return { admitted: false, position: positions.get(ref.sessionId) ?? null };
    },

    async admitNext(ref: Ref): Promise<void> {
      await admitAndTell(ref.orgId);
    },

    /**
     * `setup` and `teardown`: whether the repository has those commands, so that a session
     * without them skips their activities.
     */
    async prepareWorkspace(ref: Ref): Promise<{ branch: string; baseCommit: string; setup: boolean; teardown: boolean }> {
      const session = await loadSession(ref);
      const workspace = await withHeartbeat(() =>
        userErrorsFinal(() => prepare({ db, session: { id: session.id, orgId: session.orgId }, repository: session.repository, ...dirs })),
      );
      await recordWorkspaceReady(db, ref, workspace);
      return {
        branch: workspace.branch,
        baseCommit: workspace.baseCommit,
        setup: Boolean(session.repository.setupCommand),
        teardown: Boolean(session.repository.teardownCommand),
      };
    },

    async runAgent(ref: Ref): Promise<{ ok: boolean; exitCode: number; failure?: string }> {
      const ctx = Context.current();
      const session = await loadSession(ref);
      const workspace = preparedWorkspace(session);
      const profile = session.agentProfile;
      if (!profile) throw ApplicationFailure.nonRetryable('the session has no agent profile', 'NoAgentProfile');
      const log = await openLog(ref);
      const previous = ctx.info.heartbeatDetails as { agentSessionRef?: string } | undefined;
      const resumeRef = previous?.agentSessionRef ?? session.agentSessionRef ?? undefined;
      log.write(
        ctx.info.attempt > 1
          ? `[parallax] attempt ${ctx.info.attempt}: ${resumeRef ? `resuming agent session ${resumeRef}` : 'running the agent again'}\n`
          : `[parallax] ${profile.name} (${profile.adapter}) starts in ${workspace.branch} at ${workspace.baseCommit.slice(0, 12)}\n`,
      );
      if (ctx.info.attempt > 1) await stopLeftovers(ref, log);
      // The secrets its profile names, opened for this run only: in the agent's environment, never in its files or argv.
      const secrets =
        profile.secretNames.length > 0 ? await userErrorsFinal(() => openAgentSecrets(db, ref.orgId, profile.secretNames)) : {};
      const sandbox = await openSessionSandbox(session, workspace, log);
      await markStarted(db, ref);

      // Messages recorded since this attempt began reach the agent through its inbox.
      const inbox = createInterventionInbox();
      let since: Date | null = ctx.info.attempt > 1 ? new Date() : null;
      const poll = setInterval(() => {
        interventionsSince(db, ref, since)
          .then((rows) => {
            for (const row of rows) {
              if (since && row.at <= since) continue;
              since = row.at;
              if (row.message) inbox.push(row.message);
            }
          })
          .catch(() => {}); // the next poll tries again
      }, pollMs);
      try {
        const result = await userErrorsFinal(() =>
          runAgentProcess({
            adapter: profile.adapter,
            config: profile.config,
            commandTemplate: profile.commandTemplate ?? undefined,
            prompt: session.task.prompt,
            worktree: workspace.worktreePath,
            branch: workspace.branch,
            env: { ...workspace.env, ...secrets },
            resumeRef,
            log,
            signal: ctx.cancellationSignal,
            heartbeat: (details) => ctx.heartbeat(details),
            heartbeatEveryMs: HEARTBEAT_MS,
            interventions: inbox,
            sandbox,
          }),
        );
        await recordAgentExit(db, ref, result);
        return { ok: result.ok, exitCode: result.exitCode, failure: result.failure };
      } finally {
        clearInterval(poll);
        await sandbox.close().catch(() => {});
        await log.close().catch(() => {});
      }
    },

    async runChecks(ref: Ref): Promise<{ passed: boolean; command: string | null }> {
      const ctx = Context.current();
      const session = await loadSession(ref);
      const workspace = preparedWorkspace(session);
      await markPhase(db, ref, 'CHECKING');
      const log = await openLog(ref);
      if (ctx.info.attempt > 1) await stopLeftovers(ref, log);
      const command = session.repository.testCommand;
      log.write(command ? `[parallax] checks: $ ${command}\n` : '[parallax] checks: this repository has no test command\n');
      const beat = setInterval(() => ctx.heartbeat(), HEARTBEAT_MS);
      let sandbox: Sandbox | null = null;
      try {
        sandbox = await openSessionSandbox(session, workspace, log);
        const checks = await runChecksProcess({
          command,
          worktree: workspace.worktreePath,
          env: workspace.env,
          sandbox,
          signal: ctx.cancellationSignal,
          onOutput: (text) => log.write(text),
        });
        log.write(`[parallax] checks ${checks.passed ? 'passed' : `failed (exit ${checks.exitCode})`}\n`);
        await recordChecks(db, ref, checks);
        return { passed: checks.passed, command: checks.command };
      } finally {
        clearInterval(beat);
        await sandbox?.close().catch(() => {});
        await log.close().catch(() => {});
      }
    },

    /** Commits as the agent, pushes, and opens the PR once: a retry finds the PR the last attempt opened. */
    async openPullRequest(ref: Ref): Promise<{ number: number; url: string }> {
      return withHeartbeat(() => openPullRequest(ref));
    },

    /** Ends the record; says whether the session is still owed a PR (then the workflow waits out its SLA window). */
    async endSession(
      input: Ref & { status: EndStatus; failureReason?: string; cancelledById: string | null; whileQueued: boolean },
    ): Promise<{ owesPr: boolean }> {
      return endSessionRecord(db, input, input);
    },

    async releaseWorkspace(input: Ref & { keepBranch: boolean }): Promise<void> {
      await stopSessionLeftovers(input.sessionId);
      await withHeartbeat(() =>
        release({ db, session: { id: input.sessionId, orgId: input.orgId }, keepBranch: input.keepBranch, ...dirs }),
      );
      await recordCleanedUp(db, input, { branchKept: input.keepBranch });
    },

    /** The PR is merged or closed: the session's branch has served its purpose. */
    async deleteSessionBranch(ref: Ref): Promise<void> {
      await release({ db, session: { id: ref.sessionId, orgId: ref.orgId }, keepBranch: false, ...dirs });
    },

    async recordIntervention(input: Ref & { interventionId: string; message: string; actorUserId: string | null }): Promise<void> {
      await recordInterventionRecord(db, input, { ...input, kind: 'MESSAGE' });
    },

    async syncPullRequest(ref: Ref): Promise<'OPEN' | 'MERGED' | 'CLOSED'> {
      const session = await loadSession(ref);
      const forge = await forges(session.repository);
      const pr = await forge.syncPullRequest(ref);
      return pr.state;
    },
  };
}

/**
 * The session's row (or its org) is gone: a database reset under a Temporal that kept
 * its workflows, or an org deleted. Nothing will bring it back, so the workflow ends
 * with this reason at once instead of retrying an activity forever.
 */
function sessionGone(ref: Ref): never {
  throw ApplicationFailure.nonRetryable(
    `session ${ref.sessionId} of org ${ref.orgId} is no longer in the database (the database was reset or the org deleted); its workflow ends`,
    SESSION_GONE,
  );
}

const SESSION_GONE = 'SessionGone';

/** Heartbeats while `work` runs, so a worker that dies is noticed within the heartbeat timeout, not the start-to-close one. */
async function withHeartbeat<T>(work: () => Promise<T>): Promise<T> {
  const ctx = Context.current();
  ctx.heartbeat();
  const beat = setInterval(() => ctx.heartbeat(), HEARTBEAT_MS);
  try {
    return await work();
  } finally {
    clearInterval(beat);
  }
}

/** A person's mistake (bad settings, a missing CLI) will not fix itself on retry: fail the session at once. */
async function userErrorsFinal<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof AppError && err.code !== 'CONFLICT') throw ApplicationFailure.nonRetryable(err.message, err.name);
    throw err;
  }
}
