// Workflows already running when setup and teardown were added must replay on the new
// code: their histories (recorded with the workflow as it was before, one cancelled while
// its agent ran, one following its PR) replay without a nondeterminism error, because the
// new activity calls sit behind patched('repository-setup'). (Recorded by running the
// workflow file of before against today's activities, then taking the `setup` field out of
// prepareWorkspace's results, as the activities of before returned them.)
import { readFileSync } from 'node:fs';
import { temporal } from '@temporalio/proto';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { beforeAll, describe, expect, it } from 'vitest';
import { workflowsPath } from '../create-worker.ts';

let workflowBundle: WorkflowBundleWithSourceMap;
beforeAll(async () => {
  const nothing = () => {};
  workflowBundle = await bundleWorkflowCode({
    workflowsPath,
    logger: { trace: nothing, debug: nothing, info: nothing, warn: nothing, error: console.error, log: nothing },
  });
}, 120_000);

const history = (name: string) => JSON.parse(readFileSync(new URL(`./histories/${name}.json`, import.meta.url), 'utf8'));

describe('agent session histories from before the setup step', { timeout: 60_000 }, () => {
  for (const name of ['before-setup-cancelled-while-running', 'before-setup-following-pr']) {
    it(`replays ${name}`, async () => {
      const recorded = history(name);
      // The recorded run really is one of the old code: no setup or teardown activity in it.
      const activities = recorded.events
        .map(
          (e: { activityTaskScheduledEventAttributes?: { activityType?: { name: string } } }) =>
            e.activityTaskScheduledEventAttributes?.activityType?.name,
        )
        .filter(Boolean);
      expect(activities).toContain('runAgent');
      expect(activities).not.toContain('runSetup');
      expect(activities).not.toContain('runTeardown');
      // Saved with protobufjs' toJSON, read back with its fromObject: the same library both ways.
      const proto = temporal.api.history.v1.History.fromObject(recorded);
      await expect(Worker.runReplayHistory({ workflowBundle }, proto, `session-${name}`)).resolves.toBeUndefined();
    });
  }
});

describe('agent session histories from before a cancelled session watched its SLA window', { timeout: 60_000 }, () => {
  // Cancelled in the queue by the person who asked, and by someone else: the code of before
  // stopped the SLA watch in both; replayed on today's, the patch leaves them as they ran.
  for (const name of ['before-sla-watch-withdrawn-in-queue', 'before-sla-watch-cancelled-in-queue-by-another']) {
    it(`replays ${name}`, async () => {
      const recorded = history(name);
      const markers = recorded.events.filter(
        (e: { markerRecordedEventAttributes?: { markerName?: string } }) => e.markerRecordedEventAttributes?.markerName,
      );
      expect(markers).toEqual([]);
      const proto = temporal.api.history.v1.History.fromObject(recorded);
      await expect(Worker.runReplayHistory({ workflowBundle }, proto, `session-${name}`)).resolves.toBeUndefined();
    });
  }
});
