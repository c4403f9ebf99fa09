import { describe, expect, it } from 'vitest';
import { backoffDelayMs, SIGN_IN_PER_EMAIL, SIGN_IN_PER_PAIR, type BackoffPolicy } from './sign-in-backoff.ts';

const policy: BackoffPolicy = { freeFailures: 3, firstDelayMs: 1_000, maxDelayMs: 10_000, forgetAfterMs: 60_000 };

describe('the sign-in backoff schedule', () => {
  it('lets the free failures through without a delay', () => {
    expect([0, 1, 2].map((n) => backoffDelayMs(n, policy))).toEqual([0, 0, 0]);
  });

  it('doubles the delay with each failure past the free ones', () => {
    expect([3, 4, 5, 6].map((n) => backoffDelayMs(n, policy))).toEqual([1_000, 2_000, 4_000, 8_000]);
  });

  it('stops growing at the cap, however many failures there were', () => {
    expect(backoffDelayMs(7, policy)).toBe(10_000);
    expect(backoffDelayMs(10_000, policy)).toBe(10_000);
  });

  it('keeps the per-email delay, which the owner also meets, at a minute or less', () => {
    expect(backoffDelayMs(1_000, SIGN_IN_PER_EMAIL)).toBeLessThanOrEqual(60_000);
    expect(backoffDelayMs(1_000, SIGN_IN_PER_PAIR)).toBe(15 * 60_000);
  });
});
