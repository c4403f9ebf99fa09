// One agent session = one workflow, id `session-<sessionId>` (PRODUCT.md §3).
// Deterministic: every effect goes through an activity; the database is the record,
// the workflow the conductor. Signals and the query are defined beside it.
import {
  ActivityCancellationType,
  allHandlersFinished,
  ApplicationFailure,
  CancellationScope,
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  isCancellation,
  patched,
  proxyActivities,
  setHandler,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities/index.ts';

export interface AgentSessionInput {
  orgId: string;
  sessionId: string;
  /**
   * Set when a long PR follow-up continued as new (a PR can stay open for weeks; the
   * history of a workflow cannot grow forever): the session is over, only its PR is followed.
   */
  following?: { outcome: 'SUCCEEDED' | 'FAILED' | 'CANCELLED'; pullRequest: { number: number; url: string } };
}

export interface InterveneArgs {
  /** Chosen by the caller, so a retried signal records one intervention. */
  interventionId: string;
  message: string;
  actorUserId: string | null;
}

/** SETTING_UP is the view's only: the session's record stays PROVISIONING while the repository's setup runs. */
export type SessionPhase = 'QUEUED' | 'PROVISIONING' | 'SETTING_UP' | 'RUNNING' | 'CHECKING' | 'OPENING_PR' | 'FOLLOWING_PR' | 'DONE';

export interface SessionStatusView {
  phase: SessionPhase;
  queuePosition: number | null;
  interventions: number;
  cancelRequested: boolean;
  pullRequest: { number: number; url: string; state: string } | null;
  outcome: string | null;
}

export const admitSignal = defineSignal('admit');
export const interveneSignal = defineSignal<[InterveneArgs]>('intervene');
export const cancelSignal = defineSignal<[{ actorUserId: string | null }]>('cancel');
/** A webhook or a local merge changed the PR: look now instead of at the next poll. */
export const pullRequestChangedSignal = defineSignal('pullRequestChanged');
export const statusQuery = defineQuery<SessionStatusView>('status');

const quick = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s' },
});
const workspace = proxyActivities<Activities>({
  startToCloseTimeout: '20 minutes',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '2s', maximumInterval: '1 minute', maximumAttempts: 5 },
});
// The agent and the checks run for long; a heartbeat every few seconds lets a dead
// worker be noticed within the heartbeat timeout and the attempt retried elsewhere.
// On cancel, wait until the activity has stopped the agent's process tree: cleanup
// must not remove a worktree something still writes to.
const longRunning = proxyActivities<Activities>({
  startToCloseTimeout: '6 hours',
  heartbeatTimeout: '30 seconds',
  cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  retry: { initialInterval: '2s', maximumInterval: '1 minute', maximumAttempts: 4 },
});

// The teardown is part of cleanup: never cancelled, bounded by its own 5-minute timeout
// inside the activity; a worker that dies during it is noticed by the heartbeat and retried once.
const teardown = proxyActivities<Activities>({
  startToCloseTimeout: '7 minutes',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '2s', maximumAttempts: 2 },
});

/** Workflows started before setup and teardown existed replay without them. */
const REPOSITORY_SETUP_PATCH = 'repository-setup';

/**
 * A cancelled session is still owed its PR (METRICS.md "PR within SLA") unless the person
 * who asked withdrew it while queued (the breach activity checks): workflows from before
 * this patch stopped watching the window on a cancel.
 */
const SLA_WATCH_AFTER_CANCEL_PATCH = 'sla-watch-after-cancel';

const ADMISSION_RECHECK = '30 seconds';
const PR_POLL = '10 minutes';
/** Past this many history events the follow-up continues as new (Temporal warns at 10K, stops at 50K). */
const FOLLOW_HISTORY_LIMIT = 2_000;

export async function agentSession(input: AgentSessionInput): Promise<string> {
  const ref = { orgId: input.orgId, sessionId: input.sessionId };
  const view: SessionStatusView = {
    phase: 'QUEUED',
    queuePosition: null,
    interventions: 0,
    cancelRequested: false,
    pullRequest: null,
    outcome: null,
  };
  let admitted = false;
  let cancelledBy: { actorUserId: string | null } | null = null;
  let pullRequestChanged = false;
  const work = new CancellationScope();

  setHandler(statusQuery, () => view);
  setHandler(admitSignal, () => {
    admitted = true;
  });
  setHandler(cancelSignal, (args) => {
    if (cancelledBy || view.phase === 'FOLLOWING_PR' || view.phase === 'DONE') return;
    cancelledBy = args;
    view.cancelRequested = true;
    work.cancel();
  });
  const interventionIds = new Set<string>();
  setHandler(interveneSignal, async (args) => {
    if (interventionIds.has(args.interventionId)) return; // a retried signal
    interventionIds.add(args.interventionId);
    view.interventions = interventionIds.size;
    await quick.recordIntervention({ ...ref, ...args });
  });
  setHandler(pullRequestChangedSignal, () => {
    pullRequestChanged = true;
  });

  if (input.following) {
    // Continued as new while following the PR: the rest of the session happened in the first run.
    view.outcome = input.following.outcome;
    view.pullRequest = { ...input.following.pullRequest, state: 'OPEN' };
    await followPullRequest(input.following.outcome);
    view.phase = 'DONE';
    await condition(allHandlersFinished);
    return input.following.outcome;
  }

  const { slaDeadline } = await quick.loadSessionTimes(ref);
  const slaWatch = new CancellationScope();
  // Runs beside the session: the breach is recorded the moment the window closes
  // without a PR (the activity checks), whatever the session is doing then.
  const slaWatched =
    slaDeadline === null
      ? Promise.resolve()
      : slaWatch
          .run(async () => {
            await sleep(Math.max(0, slaDeadline - Date.now()));
            await quick.recordSlaBreach(ref);
          })
          .catch((err) => {
            if (!isCancellation(err)) throw err;
          });

  // ---- 1. admission
  while (!admitted) {
    if (cancelledBy) {
      const ended = await quick.endSession({
        ...ref,
        status: 'CANCELLED',
        cancelledById: (cancelledBy as { actorUserId: string | null }).actorUserId,
        whileQueued: true,
      });
      view.outcome = 'CANCELLED';
      view.phase = 'DONE';
      view.queuePosition = null;
      // Withdrawn by the person who asked, it owes nothing; cancelled by anyone else, its window still runs.
      if (patched(SLA_WATCH_AFTER_CANCEL_PATCH) && ended?.owesPr) await slaWatched;
      else slaWatch.cancel();
      return 'CANCELLED';
    }
    const admission = await quick.requestAdmission(ref);
    if (admission.admitted) break;
    view.queuePosition = admission.position;
    await condition(() => admitted || cancelledBy !== null, ADMISSION_RECHECK);
  }
  view.queuePosition = null;

  // ---- 2–5. isolate, run, check, open the PR
  let outcome: 'SUCCEEDED' | 'FAILED' | 'CANCELLED' = 'FAILED';
  let failureReason: string | undefined;
  // Known once prepare is done; before that there is no workspace, so nothing to tear down.
  let tearDown = false;
  try {
    await work.run(async () => {
      view.phase = 'PROVISIONING';
      const prepared = await workspace.prepareWorkspace(ref);
      tearDown = prepared.teardown === true;
      // `setup` is absent from the result in histories recorded before it existed.
      if (patched(REPOSITORY_SETUP_PATCH) && prepared.setup !== false) {
        view.phase = 'SETTING_UP';
        const setup = await longRunning.runSetup(ref);
        if (!setup.ok) throw ApplicationFailure.nonRetryable(setup.failure ?? 'setup failed', 'SetupFailed');
      }
      view.phase = 'RUNNING';
      const run = await longRunning.runAgent(ref);
      if (!run.ok) throw ApplicationFailure.nonRetryable(run.failure ?? `the agent exited with code ${run.exitCode}`, 'AgentFailed');
      view.phase = 'CHECKING';
      const checks = await longRunning.runChecks(ref);
      if (!checks.passed) throw ApplicationFailure.nonRetryable(`checks failed: ${checks.command}`, 'ChecksFailed');
      view.phase = 'OPENING_PR';
      const pr = await workspace.openPullRequest(ref);
      view.pullRequest = { number: pr.number, url: pr.url, state: 'OPEN' };
    });
    outcome = 'SUCCEEDED';
  } catch (err) {
    if (isCancellation(err)) outcome = 'CANCELLED';
    else if (isSessionGone(err)) {
      // No record to end or admit against: free what is on this host's disk, then end with the reason.
      await CancellationScope.nonCancellable(() => workspace.releaseWorkspace({ ...ref, keepBranch: false }).catch(() => {}));
      throw err;
    } else failureReason = describe(err);
  }

  // ---- 8. cleanup on every path, even after a cancel
  let ended: { owesPr: boolean } | undefined;
  await CancellationScope.nonCancellable(async () => {
    ended = await quick.endSession({
      ...ref,
      status: outcome,
      failureReason,
      cancelledById: (cancelledBy as { actorUserId: string | null } | null)?.actorUserId ?? null,
      whileQueued: false,
    });
    // Never in the way of cleanup: the activity logs its own failures, and anything else is dropped here.
    if (patched(REPOSITORY_SETUP_PATCH) && tearDown) await teardown.runTeardown(ref).catch(() => {});
    await workspace.releaseWorkspace({ ...ref, keepBranch: view.pullRequest !== null });
    await quick.admitNext(ref);
  });
  view.outcome = outcome;
  // A session that ended without a PR is still owed one: its window closing is a breach, so wait for it.
  if (outcome === 'FAILED' || (outcome === 'CANCELLED' && patched(SLA_WATCH_AFTER_CANCEL_PATCH) && ended?.owesPr)) await slaWatched;
  else slaWatch.cancel();

  // ---- 7. follow the PR until it is merged or closed
  await followPullRequest(outcome);
  view.phase = 'DONE';
  // An intervention still being recorded must land before the workflow closes.
  await condition(allHandlersFinished);
  return outcome;

  async function followPullRequest(ended: 'SUCCEEDED' | 'FAILED' | 'CANCELLED'): Promise<void> {
    const pr = view.pullRequest;
    if (!pr) return;
    view.phase = 'FOLLOWING_PR';
    for (;;) {
      pr.state = await quick.syncPullRequest(ref);
      if (pr.state !== 'OPEN') break;
      await condition(() => pullRequestChanged, PR_POLL);
      pullRequestChanged = false;
      const info = workflowInfo();
      if (info.continueAsNewSuggested || info.historyLength > FOLLOW_HISTORY_LIMIT) {
        await condition(allHandlersFinished);
        await continueAsNew<typeof agentSession>({
          ...ref,
          following: { outcome: ended, pullRequest: { number: pr.number, url: pr.url } },
        });
      }
    }
    await quick.deleteSessionBranch(ref);
  }
}

/** An activity found the session's record gone (see the activities' sessionGone). */
function isSessionGone(err: unknown): boolean {
  for (let e: unknown = err; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    if (e instanceof ApplicationFailure && e.type === 'SessionGone') return true;
  }
  return false;
}

function describe(err: unknown): string {
  let e: unknown = err;
  // Activity failures wrap the application failure that says what went wrong.
  while (e && typeof e === 'object' && 'cause' in e && (e as { cause?: unknown }).cause) e = (e as { cause: unknown }).cause;
  return e instanceof Error ? e.message : String(err);
}
