import { describe, expect, it } from 'vitest';
import { type SlaInput, slaState } from './sla-state.ts';

const received = new Date('2026-06-01T09:00:00Z');
const at = (minutes: number, seconds = 0) => new Date(received.getTime() + minutes * 60_000 + seconds * 1000);
const base: SlaInput = {
  receivedAt: received,
  slaMinutes: 30,
  prOpenedAt: null,
  taskType: 'STANDARD',
  withdrawnByRequester: false,
  endedAt: null,
};
const now = (minutes: number) => at(minutes).getTime();

describe('slaState, by METRICS.md "PR within SLA" (the verdict the evidence counts)', () => {
  it('calls a PR opened half a minute late a breach, and one on the deadline met', () => {
    expect(slaState({ ...base, prOpenedAt: at(30, 29), endedAt: at(31) }, now(40))).toEqual({ kind: 'breached', label: 'PR 29s late' });
    expect(slaState({ ...base, prOpenedAt: at(30) }, now(40))).toEqual({ kind: 'met', label: 'Met, PR in 30m 00s' });
  });

  it('counts a session that ended without a PR as a miss only once its window has closed', () => {
    const failed = { ...base, endedAt: at(10) };
    expect(slaState(failed, now(20))).toEqual({ kind: 'pending', label: 'No PR; a miss in 10m 00s' });
    expect(slaState(failed, now(30))).toEqual({ kind: 'breached', label: 'Missed: no PR' });
  });

  it('runs the clock while the window is open, amber in its last fifth, red past the deadline', () => {
    expect(slaState(base, now(20))).toEqual({ kind: 'running', label: '10m 00s left', isAtRisk: false });
    expect(slaState(base, now(25))).toMatchObject({ kind: 'running', isAtRisk: true });
    expect(slaState(base, now(32))).toEqual({ kind: 'breached', label: 'Breached 2m 00s ago' });
  });

  it('leaves out what the metric leaves out: investigations and tasks withdrawn while queued', () => {
    expect(slaState({ ...base, taskType: 'INVESTIGATION' }, now(90))).toEqual({ kind: 'excluded', label: 'Investigation: no PR owed' });
    expect(slaState({ ...base, withdrawnByRequester: true, endedAt: at(1) }, now(90))).toMatchObject({ kind: 'excluded' });
    expect(slaState({ ...base, slaMinutes: null }, now(90))).toEqual({ kind: 'none' });
  });
});
