import { describe, it, expect } from 'vitest';
import { chooseAdmissions, queuePositions, type QueuedSession } from './choose-admissions.ts';

const t = (minute: number) => new Date(Date.UTC(2026, 10, 23, 9, minute));
const q = (id: string, developerId: string, minute: number): QueuedSession => ({ id, developerId, queuedAt: t(minute) });

describe('chooseAdmissions', () => {
  it('admits exactly as many as the developer cap allows, first queued first', () => {
    const queued = [q('s5', 'dev', 5), q('s1', 'dev', 1), q('s3', 'dev', 3), q('s2', 'dev', 2), q('s4', 'dev', 4)];
    expect(chooseAdmissions({ queued, runningByDeveloper: new Map() }, { developerCap: 3, orgCap: 50 })).toEqual(['s1', 's2', 's3']);
  });

  it('starts the next in order when one slot frees', () => {
    const queued = [q('s4', 'dev', 4), q('s5', 'dev', 5)];
    expect(chooseAdmissions({ queued, runningByDeveloper: new Map([['dev', 2]]) }, { developerCap: 3, orgCap: 50 })).toEqual(['s4']);
  });

  it("does not let one developer's batch starve a colleague", () => {
    const queued = [q('a1', 'ann', 1), q('a2', 'ann', 2), q('a3', 'ann', 3), q('b1', 'bob', 9)];
    // Two org slots free, ann already runs one: bob (none running) goes before ann's next.
    expect(chooseAdmissions({ queued, runningByDeveloper: new Map([['ann', 1]]) }, { developerCap: 5, orgCap: 3 })).toEqual(['b1', 'a1']);
  });

  it('skips a developer at their cap instead of blocking the org queue behind them', () => {
    const queued = [q('a9', 'ann', 1), q('b1', 'bob', 2)];
    expect(chooseAdmissions({ queued, runningByDeveloper: new Map([['ann', 2]]) }, { developerCap: 2, orgCap: 10 })).toEqual(['b1']);
  });

  it('admits nobody when the org is at its cap', () => {
    const queued = [q('b1', 'bob', 2)];
    expect(chooseAdmissions({ queued, runningByDeveloper: new Map([['ann', 4]]) }, { developerCap: 5, orgCap: 4 })).toEqual([]);
  });
});

describe('queuePositions', () => {
  it('numbers the queue in the order admission would follow', () => {
    const queued = [q('a1', 'ann', 1), q('a2', 'ann', 2), q('b1', 'bob', 3)];
    const positions = queuePositions({ queued, runningByDeveloper: new Map([['ann', 1]]) });
    expect(Object.fromEntries(positions)).toEqual({ b1: 1, a1: 2, a2: 3 });
  });
});
