import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase, type DatabaseFixture } from '@parallax/db/test-database';
import { AppError } from '@parallax/tenancy';
import { signUp } from './sign-up.ts';
import { verifyCredentials } from './verify-credentials.ts';

const PASSWORD = 'the owner knows this one';
let fx: DatabaseFixture;
let counter = 0;

async function newOwner(): Promise<string> {
  counter += 1;
  const email = `owner-${counter}-${Math.random().toString(36).slice(2, 8)}@example.test`;
  await signUp(fx.db, { email, password: PASSWORD, name: 'Owner' });
  return email;
}

const at = (t0: number, ms = 0) => new Date(t0 + ms);

/** 'ok', 'wrong' or the refusal's message. */
async function attempt(email: string, password: string, ip: string, now: Date): Promise<string> {
  try {
    return (await verifyCredentials(fx.db, { email, password, ip }, now)) ? 'ok' : 'wrong';
  } catch (error) {
    if (error instanceof AppError && error.code === 'TOO_MANY_REQUESTS') return error.message;
    throw error;
  }
}

beforeAll(async () => {
  fx = await useTestDatabase();
});

describe('failed sign-ins slow the attacker without locking the owner out', () => {
  it('lets the owner in from another address right after ten wrong passwords from an attacker', async () => {
    const email = await newOwner();
    const t0 = Date.now();
    const results: string[] = [];
    for (let i = 0; i < 10; i++) results.push(await attempt(email, `guess ${i}`, '198.51.100.7', at(t0, i)));
    expect(results.slice(0, 5)).toEqual(['wrong', 'wrong', 'wrong', 'wrong', 'wrong']);
    expect(results.slice(5).every((r) => r.startsWith('Too many failed sign-ins.'))).toBe(true);
    expect(await attempt(email, PASSWORD, '203.0.113.9', at(t0, 20))).toBe('ok');
  });

  it('makes the attacking address wait longer after each failure, and refuses even the right password meanwhile', async () => {
    const email = await newOwner();
    const ip = '198.51.100.8';
    const t0 = Date.now();
    for (let i = 0; i < 5; i++) expect(await attempt(email, `guess ${i}`, ip, at(t0))).toBe('wrong');
    expect(await attempt(email, PASSWORD, ip, at(t0, 500))).toBe('Too many failed sign-ins. Try again in 1 second.');
    expect(await attempt(email, 'guess 6', ip, at(t0, 1_000))).toBe('wrong');
    expect(await attempt(email, 'guess 7', ip, at(t0, 1_000))).toBe('Too many failed sign-ins. Try again in 2 seconds.');
    expect(await attempt(email, 'guess 7', ip, at(t0, 3_000))).toBe('wrong');
    expect(await attempt(email, 'guess 8', ip, at(t0, 3_000))).toBe('Too many failed sign-ins. Try again in 4 seconds.');
    // Once the delay has passed the owner, even from that address, gets in; the slate is then clean.
    expect(await attempt(email, PASSWORD, ip, at(t0, 7_000))).toBe('ok');
    for (let i = 0; i < 5; i++) expect(await attempt(email, `again ${i}`, ip, at(t0, 7_001))).toBe('wrong');
  });

  it('stops one address from spraying passwords across many accounts', async () => {
    const ip = '198.51.100.9';
    const t0 = Date.now();
    for (let i = 0; i < 20; i++) expect(await attempt(`nobody-${i}-${t0}@example.test`, 'guess', ip, at(t0))).toBe('wrong');
    expect(await attempt(`nobody-next-${t0}@example.test`, 'guess', ip, at(t0))).toMatch(/^Too many failed sign-ins\./);
    const email = await newOwner();
    expect(await attempt(email, PASSWORD, '203.0.113.10', at(t0))).toBe('ok');
  });

  it('slows many addresses guessing one account, but only for a short while', async () => {
    const email = await newOwner();
    const t0 = Date.now();
    for (let i = 0; i < 20; i++) expect(await attempt(email, `guess ${i}`, `192.0.2.${i + 1}`, at(t0))).toBe('wrong');
    expect(await attempt(email, PASSWORD, '203.0.113.11', at(t0, 100))).toBe('Too many failed sign-ins. Try again in 1 second.');
    expect(await attempt(email, PASSWORD, '203.0.113.11', at(t0, 1_000))).toBe('ok');
  });

  it('counts parallel guesses one by one, so a burst cannot slip past the delay', async () => {
    const email = await newOwner();
    const t0 = Date.now();
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => attempt(email, `burst ${i}`, '198.51.100.12', at(t0))));
    expect(results.filter((r) => r === 'wrong')).toHaveLength(5);
    expect(results.filter((r) => r.startsWith('Too many failed sign-ins.'))).toHaveLength(5);
  });

  it('forgets failures after an hour without one', async () => {
    const email = await newOwner();
    const ip = '198.51.100.13';
    const t0 = Date.now();
    for (let i = 0; i < 5; i++) expect(await attempt(email, `guess ${i}`, ip, at(t0))).toBe('wrong');
    const later = 61 * 60_000;
    for (let i = 0; i < 5; i++) expect(await attempt(email, `later ${i}`, ip, at(t0, later))).toBe('wrong');
  });

  it('does not hold successful sign-ins against a shared address', async () => {
    const ip = '198.51.100.14';
    const t0 = Date.now();
    // One account stands for a whole office behind one address: more successes than the address's free failures.
    const email = await newOwner();
    for (let i = 0; i < 22; i++) expect(await attempt(email, PASSWORD, ip, at(t0))).toBe('ok');
  });
});
