// Who starts next when slots are free. Pure, so the rules are tested on their own.
//
// Fairness: a developer with fewer sessions running goes first (one developer's
// batch of twenty cannot starve a colleague's single task); within a developer,
// first queued, first started. A developer at their cap is skipped, not waited for.

export interface QueuedSession {
  id: string;
  developerId: string;
  queuedAt: Date;
}

export interface Caps {
  developerCap: number;
  orgCap: number;
}

export interface AdmissionState {
  /** Sessions waiting, any order. */
  queued: QueuedSession[];
  /** Sessions holding a slot now, per developer. */
  runningByDeveloper: Map<string, number>;
}

function byDeveloper(queued: QueuedSession[]): Map<string, QueuedSession[]> {
  const lanes = new Map<string, QueuedSession[]>();
  for (const s of [...queued].sort((a, b) => a.queuedAt.getTime() - b.queuedAt.getTime() || a.id.localeCompare(b.id))) {
    const lane = lanes.get(s.developerId) ?? [];
    lane.push(s);
    lanes.set(s.developerId, lane);
  }
  return lanes;
}

/** The ids to admit now, in the order they should start. */
export function chooseAdmissions(state: AdmissionState, caps: Caps): string[] {
  const running = new Map(state.runningByDeveloper);
  let free = caps.orgCap - [...running.values()].reduce((a, b) => a + b, 0);
  const lanes = byDeveloper(state.queued);
  const admitted: string[] = [];
  while (free > 0) {
    let best: { dev: string; load: number; head: QueuedSession } | null = null;
    for (const [dev, lane] of lanes) {
      const head = lane[0];
      const load = running.get(dev) ?? 0;
      if (!head || load >= caps.developerCap) continue;
      if (!best || load < best.load || (load === best.load && head.queuedAt < best.head.queuedAt)) best = { dev, load, head };
    }
    if (!best) break;
    lanes.get(best.dev)!.shift();
    running.set(best.dev, best.load + 1);
    admitted.push(best.head.id);
    free -= 1;
  }
  return admitted;
}

/**
 * Each queued session's place in line (1 = next), by the same rule as admission
 * would follow if slots freed one at a time.
 */
export function queuePositions(state: AdmissionState): Map<string, number> {
  const ranked: { id: string; load: number; queuedAt: Date }[] = [];
  for (const [dev, lane] of byDeveloper(state.queued)) {
    const base = state.runningByDeveloper.get(dev) ?? 0;
    lane.forEach((s, k) => {
      ranked.push({ id: s.id, load: base + k, queuedAt: s.queuedAt });
    });
  }
  ranked.sort((a, b) => a.load - b.load || a.queuedAt.getTime() - b.queuedAt.getTime() || a.id.localeCompare(b.id));
  return new Map(ranked.map((r, i) => [r.id, i + 1]));
}
