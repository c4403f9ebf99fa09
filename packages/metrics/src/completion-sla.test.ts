// Criteria 2, 4 and 5 on hand-computed fixtures.
import { describe, expect, it } from 'vitest';
import { channelsUsed, completionWithoutIntervention, type SessionOutcome } from './completion.ts';
import { type InvocationSla, prWithinSla, slaVerdict, timeToPr } from './sla.ts';

const outcome = (status: string, interventions = 0, cancelledWhileQueued = false): SessionOutcome => ({
  status,
  interventions,
  cancelledWhileQueued,
});

describe('completion without intervention (criterion 4)', () => {
  it('is SUCCEEDED with no intervention over finished sessions, leaving out the queued and the withdrawn', () => {
    const rate = completionWithoutIntervention([
      outcome('SUCCEEDED'),
      outcome('SUCCEEDED'),
      outcome('SUCCEEDED', 1), // steered: finished, not unassisted
      outcome('FAILED'),
      outcome('TIMED_OUT'),
      outcome('CANCELLED', 0, true), // cancelled while queued: not finished
      outcome('RUNNING'),
      outcome('QUEUED'),
    ]);
    expect(rate).toEqual({ finished: 5, unassisted: 2, rate: 0.4, meets: false });
  });

  it('holds above 60%, not at it', () => {
    const at60 = [outcome('SUCCEEDED'), outcome('SUCCEEDED'), outcome('SUCCEEDED'), outcome('FAILED'), outcome('CANCELLED')];
    expect(completionWithoutIntervention(at60)).toMatchObject({ rate: 0.6, meets: false });
    expect(completionWithoutIntervention([...at60, outcome('SUCCEEDED')])).toMatchObject({ rate: 4 / 6, meets: true });
    expect(completionWithoutIntervention([])).toEqual({ finished: 0, unassisted: 0, rate: null, meets: false });
  });
});

describe('channels used (criterion 2)', () => {
  it('counts distinct channels with an invocation; two make the criterion', () => {
    expect(channelsUsed([{ channel: 'WEB' }, { channel: 'WEB' }])).toEqual({ channels: ['WEB'], meets: false });
    expect(channelsUsed([{ channel: 'SLACK' }, { channel: 'WEB' }, { channel: 'SLACK' }])).toEqual({
      channels: ['SLACK', 'WEB'],
      meets: true,
    });
  });
});

describe('PR within SLA (criterion 5)', () => {
  const received = new Date('2026-05-04T10:00:00Z');
  const inv = (prAfterMin: number | null, extra: Partial<InvocationSla> = {}): InvocationSla => ({
    receivedAt: received,
    slaMinutes: 30,
    prOpenedAt: prAfterMin === null ? null : new Date(received.getTime() + prAfterMin * 60_000),
    shouldProducePr: true,
    withdrawnByRequester: false,
    ...extra,
  });
  const now = new Date('2026-05-04T10:20:00Z'); // 20 minutes after receipt: 30-minute windows still open

  it('measures time to PR from receipt, and judges each invocation once its outcome is known', () => {
    expect(timeToPr(inv(25))).toBe(25 * 60_000);
    expect(slaVerdict(inv(30), now)).toBe('within'); // exactly at the SLA is within
    expect(slaVerdict(inv(31), new Date('2026-05-04T11:00:00Z'))).toBe('breached');
    expect(slaVerdict(inv(null), now)).toBe('open');
    expect(slaVerdict(inv(null), new Date('2026-05-04T10:30:00Z'))).toBe('missed'); // failed or cancelled without a PR
    expect(slaVerdict(inv(null, { withdrawnByRequester: true }), new Date('2026-05-04T12:00:00Z'))).toBe('excluded');
    expect(slaVerdict(inv(null, { shouldProducePr: false }), new Date('2026-05-04T12:00:00Z'))).toBe('excluded');
  });

  it('is within / counted, open windows left out until they close, and holds at 90% or more', () => {
    const later = new Date('2026-05-04T12:00:00Z');
    const nine = Array.from({ length: 9 }, () => inv(10));
    expect(prWithinSla([...nine, inv(45)], later)).toEqual({ within: 9, counted: 10, open: 0, rate: 0.9, meets: true });
    expect(prWithinSla([...nine, inv(null)], later)).toMatchObject({ rate: 0.9, meets: true });
    expect(prWithinSla([...nine, inv(null), inv(null)], later)).toMatchObject({ counted: 11, meets: false });
    expect(prWithinSla([inv(10), inv(null)], now)).toEqual({ within: 1, counted: 1, open: 1, rate: 1, meets: true });
    expect(prWithinSla([inv(10), inv(45)], later, 0.5)).toMatchObject({ rate: 0.5, meets: true }); // a configured target
    expect(prWithinSla([], later)).toMatchObject({ rate: null, meets: false });
  });
});
