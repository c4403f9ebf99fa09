// The repository's own commands around the agent (issue 7, point 6): its setup, run
// after the workspace is ready and before the agent (dependencies, migrations into the
// session's schema, seed data), and its teardown, run before cleanup on every path.
// Both run in the session's sandbox, with the session's environment, like the agent
// and the checks: they are the repository's code, as hostile as the agent.
import { existsSync } from 'node:fs';
import type { LogSink } from '@parallax/fleet/agents';
import { runSandboxedCommand } from '@parallax/fleet/delivery';
import type { Workspace } from '@parallax/fleet/workspace';
import type { Sandbox } from '@parallax/sandbox';
import { Context } from '@temporalio/activity';

/** A setup installs dependencies and loads seed data: generous, but it ends. */
const SETUP_TIMEOUT_MS = 30 * 60_000;
/** Cleanup waits for the teardown, so it is bounded tighter. */
const TEARDOWN_TIMEOUT_MS = 5 * 60_000;
/** How much of a failed setup's output its failure reason carries (the reason is cut at 4000 characters). */
const FAILURE_TAIL = 3_000;
/** How often they heartbeat, as the other long-running activities do. */
const HEARTBEAT_MS = 2_000;

interface Ref {
  orgId: string;
  sessionId: string;
}

type SessionWithCommands = { repository: { setupCommand: string | null; teardownCommand: string | null } };

/** What the fleet's activities share with these: how a session, its workspace, its log and its sandbox are opened. */
export interface RepositoryCommandDeps<S extends SessionWithCommands> {
  loadSession(ref: Ref): Promise<S>;
  /** The recorded workspace; fails the activity when there is none. */
  preparedWorkspace(session: S): Workspace;
  /** The recorded workspace, or null. */
  workspaceOf(session: S): Workspace | null;
  openLog(ref: Ref): Promise<LogSink>;
  stopLeftovers(ref: Ref, log: LogSink): Promise<void>;
  openSessionSandbox(session: S, workspace: Workspace, log: LogSink): Promise<Sandbox>;
  setupTimeoutMs?: number;
  teardownTimeoutMs?: number;
}

export function createRepositoryCommandActivities<S extends SessionWithCommands>(deps: RepositoryCommandDeps<S>) {
  const setupTimeoutMs = deps.setupTimeoutMs ?? SETUP_TIMEOUT_MS;
  const teardownTimeoutMs = deps.teardownTimeoutMs ?? TEARDOWN_TIMEOUT_MS;
  return {
    /**
     * The repository's setup command (dependencies, migrations into the session's schema,
     * seed data), in the agent's sandbox with the session's environment, before the agent.
     * A retry runs it again from the start, after stopping what the last attempt left.
     */
    async runSetup(ref: Ref): Promise<{ ok: boolean; failure?: string }> {
      const ctx = Context.current();
      const session = await deps.loadSession(ref);
      const command = session.repository.setupCommand;
      if (!command) return { ok: true };
      const workspace = deps.preparedWorkspace(session);
      const log = await deps.openLog(ref);
      if (ctx.info.attempt > 1) {
        log.write(`[parallax] setup: attempt ${ctx.info.attempt}, running it again from the start\n`);
        await deps.stopLeftovers(ref, log);
      }
      log.write(`[parallax] setup: $ ${command}\n`);
      const beat = setInterval(() => ctx.heartbeat(), HEARTBEAT_MS);
      let sandbox: Sandbox | null = null;
      try {
        sandbox = await deps.openSessionSandbox(session, workspace, log);
        const run = await runSandboxedCommand({
          command,
          what: 'the setup command',
          worktree: workspace.worktreePath,
          env: workspace.env,
          sandbox,
          signal: ctx.cancellationSignal,
          onOutput: (text) => log.write(text),
          timeoutMs: setupTimeoutMs,
        });
        if (run.exitCode === 0) {
          log.write('[parallax] setup done\n');
          return { ok: true };
        }
        const how = run.timedOut ? `ran longer than ${Math.round(setupTimeoutMs / 1000)} s` : `exited with code ${run.exitCode}`;
        log.write(`[parallax] setup failed: it ${how}\n`);
        return { ok: false, failure: `setup failed: the setup command ${how}; its output ends:\n${run.outputTail.slice(-FAILURE_TAIL)}` };
      } finally {
        clearInterval(beat);
        await sandbox?.close().catch(() => {});
        await log.close().catch(() => {});
      }
    },

    /**
     * The repository's teardown command, before cleanup on every path where a workspace
     * exists. Bounded, and it never fails: a teardown that fails is logged, and the
     * session's outcome and its cleanup stay what they would have been.
     */
    async runTeardown(ref: Ref): Promise<void> {
      const ctx = Context.current();
      const session = await deps.loadSession(ref).catch(() => null);
      const command = session?.repository.teardownCommand;
      const workspace = session && deps.workspaceOf(session);
      if (!session || !command || !workspace || !existsSync(workspace.worktreePath)) return;
      const log = await deps.openLog(ref);
      const beat = setInterval(() => ctx.heartbeat(), HEARTBEAT_MS);
      let sandbox: Sandbox | null = null;
      try {
        // Whatever still runs of the session (a killed attempt's agent) must not race the teardown.
        await deps.stopLeftovers(ref, log);
        log.write(`[parallax] teardown: $ ${command}\n`);
        sandbox = await deps.openSessionSandbox(session, workspace, log);
        const run = await runSandboxedCommand({
          command,
          what: 'the teardown command',
          worktree: workspace.worktreePath,
          env: workspace.env,
          sandbox,
          // Cleanup is not cancellable, and neither is this: only its timeout stops it.
          signal: new AbortController().signal,
          onOutput: (text) => log.write(text),
          timeoutMs: teardownTimeoutMs,
        });
        log.write(
          run.exitCode === 0
            ? '[parallax] teardown done\n'
            : `[parallax] teardown failed (${run.timedOut ? 'timed out' : `exit ${run.exitCode}`}); cleanup goes on\n`,
        );
      } catch (err) {
        log.write(`[parallax] teardown could not run: ${err instanceof Error ? err.message : String(err)}; cleanup goes on\n`);
      } finally {
        clearInterval(beat);
        await sandbox?.close().catch(() => {});
        await log.close().catch(() => {});
      }
    },
  };
}
