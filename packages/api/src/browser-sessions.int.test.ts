// Browser sessions that end when they should: sign-out, "end this session" on the
// Security page, a password change and removal from an org, through the real API.
import { beforeAll, describe, expect, it } from 'vitest';
import { TRPCError } from '@trpc/server';
import { useTestDatabase, type DatabaseFixture } from '@parallax/db/test-database';
import { changePassword, endBrowserSessionBySecret, resolveBrowserSession, startBrowserSession, verifyCredentials } from '@parallax/auth';
import type { AppError } from '@parallax/tenancy';
import { createCaller } from './root.ts';
import { callerFor, unreachableFleet, unreachableProvisioner, uniqueEmail } from './testing/fixtures.ts';
import { createContext } from './trpc.ts';

let fx: DatabaseFixture;
const password = 'correct horse battery staple';

/** A caller as the web app builds it for a request that came with this browser session's cookie. */
function browserCaller(userId: string, browserSessionId: string) {
  return createCaller(
    createContext({ auth: { userId, browserSessionId }, db: fx.db, provisioner: unreachableProvisioner, fleet: unreachableFleet }),
  );
}

async function newUser(label: string) {
  const email = uniqueEmail(label);
  const { userId } = await callerFor(fx.db, null).auth.signUp({ email, password, name: label });
  return { userId, email };
}

async function signIn(userId: string, userAgent = 'Mozilla/5.0 (Test) Chromium') {
  const started = await startBrowserSession(fx.db, { userId, client: { userAgent, ipAddress: '203.0.113.5' } });
  return { ...started, api: browserCaller(userId, started.sessionId) };
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'OK';
  } catch (error) {
    if (error instanceof TRPCError) return `${error.code}: ${error.message}`;
    throw error;
  }
}

beforeAll(async () => {
  fx = await useTestDatabase();
});

describe('browser sessions', () => {
  it('answers for a live session and stops the moment it is signed out', async () => {
    const { userId } = await newUser('signout');
    const laptop = await signIn(userId);
    expect(await resolveBrowserSession(fx.db, laptop.secret)).toEqual({ sessionId: laptop.sessionId, userId });
    await endBrowserSessionBySecret(fx.db, laptop.secret);
    expect(await resolveBrowserSession(fx.db, laptop.secret)).toBeNull();
  });

  it('refuses secrets that were never issued, are malformed, or have expired', async () => {
    const { userId } = await newUser('expired');
    const laptop = await signIn(userId);
    expect(await resolveBrowserSession(fx.db, `${laptop.secret}x`)).toBeNull();
    expect(await resolveBrowserSession(fx.db, 'pxs_never-issued')).toBeNull();
    expect(await resolveBrowserSession(fx.db, undefined)).toBeNull();
    expect(await resolveBrowserSession(fx.db, { secret: laptop.secret })).toBeNull();
    expect(await resolveBrowserSession(fx.db, laptop.secret, new Date(laptop.expires.getTime() + 1))).toBeNull();
  });

  it('stores only a hash of the secret', async () => {
    const { userId } = await newUser('hashed');
    const laptop = await signIn(userId);
    const rows = await fx.db.scoped({}, (tx) => tx.session.findMany({ where: { userId } }));
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(laptop.secret);
  });

  it('tidies away the user’s expired sessions at the next sign-in', async () => {
    const { userId } = await newUser('tidy');
    await startBrowserSession(fx.db, { userId, client: {} }, new Date(Date.now() - 31 * 86_400_000));
    const fresh = await signIn(userId);
    const rows = await fx.db.scoped({}, (tx) => tx.session.findMany({ where: { userId } }));
    expect(rows.map((r) => r.id)).toEqual([fresh.sessionId]);
  });

  it('records when a session was last seen, at most once a minute', async () => {
    const { userId } = await newUser('seen');
    const t0 = new Date();
    const laptop = await startBrowserSession(fx.db, { userId, client: {} }, t0);
    const lastSeen = async () =>
      (await fx.db.scoped({}, (tx) => tx.session.findUniqueOrThrow({ where: { id: laptop.sessionId } }))).lastSeenAt;
    await resolveBrowserSession(fx.db, laptop.secret, new Date(t0.getTime() + 30_000));
    expect((await lastSeen()).getTime()).toBe(t0.getTime());
    await resolveBrowserSession(fx.db, laptop.secret, new Date(t0.getTime() + 90_000));
    expect((await lastSeen()).getTime()).toBe(t0.getTime() + 90_000);
  });

  it('lists the user’s own sessions, marks this browser, and ends another one', async () => {
    const { userId } = await newUser('list');
    const laptop = await signIn(userId, 'Laptop browser');
    const phone = await signIn(userId, 'Phone browser');
    const listed = await laptop.api.security.listSessions();
    expect(listed.map((s) => [s.userAgent, s.ipAddress, s.isCurrent]).sort()).toEqual([
      ['Laptop browser', '203.0.113.5', true],
      ['Phone browser', '203.0.113.5', false],
    ]);
    expect(await laptop.api.security.endSession({ browserSessionId: phone.sessionId })).toEqual({ ok: true, endedCurrent: false });
    expect(await resolveBrowserSession(fx.db, phone.secret)).toBeNull();
    expect(await resolveBrowserSession(fx.db, laptop.secret)).not.toBeNull();
  });

  it('never shows or ends another user’s sessions', async () => {
    const alice = await newUser('alice');
    const mallory = await newUser('mallory');
    const aliceLaptop = await signIn(alice.userId);
    const malloryLaptop = await signIn(mallory.userId);
    expect((await malloryLaptop.api.security.listSessions()).map((s) => s.id)).toEqual([malloryLaptop.sessionId]);
    expect(await codeOf(malloryLaptop.api.security.endSession({ browserSessionId: aliceLaptop.sessionId }))).toBe(
      'NOT_FOUND: Session not found',
    );
    expect(await resolveBrowserSession(fx.db, aliceLaptop.secret)).not.toBeNull();
  });

  it('ends every other session on request, keeping this one', async () => {
    const { userId } = await newUser('others');
    const laptop = await signIn(userId);
    const phone = await signIn(userId);
    const tablet = await signIn(userId);
    expect(await laptop.api.security.endOtherSessions()).toEqual({ ended: 2 });
    expect(await resolveBrowserSession(fx.db, phone.secret)).toBeNull();
    expect(await resolveBrowserSession(fx.db, tablet.secret)).toBeNull();
    expect(await resolveBrowserSession(fx.db, laptop.secret)).not.toBeNull();
  });
});

describe('changing the password', () => {
  it('refuses a wrong current password and changes nothing', async () => {
    const { userId, email } = await newUser('wrongpw');
    const laptop = await signIn(userId);
    const phone = await signIn(userId);
    expect(
      await codeOf(laptop.api.security.changePassword({ currentPassword: 'not my password', newPassword: 'a brand new password' })),
    ).toBe('BAD_REQUEST: The current password is incorrect.');
    expect(await resolveBrowserSession(fx.db, phone.secret)).not.toBeNull();
    expect(await verifyCredentials(fx.db, { email, password })).not.toBeNull();
  });

  it('refuses a new password that is too short, or the same as the current one', async () => {
    const { userId } = await newUser('shortpw');
    const laptop = await signIn(userId);
    expect(await codeOf(laptop.api.security.changePassword({ currentPassword: password, newPassword: 'short' }))).toBe(
      'BAD_REQUEST: newPassword: Use at least 10 characters',
    );
    expect(await codeOf(laptop.api.security.changePassword({ currentPassword: password, newPassword: password }))).toBe(
      'BAD_REQUEST: Choose a new password, not the current one.',
    );
  });

  it('slows down guessing the current password from a borrowed browser', async () => {
    const { userId } = await newUser('guesspw');
    const laptop = await signIn(userId);
    // One moment for every guess: the first delay is a second, which a busy machine spends on hashing alone.
    const now = new Date();
    const results: string[] = [];
    for (let i = 0; i < 6; i++) {
      const guess = changePassword(
        fx.db,
        { userId, currentSessionId: laptop.sessionId, currentPassword: `guess ${i}`, newPassword: 'a brand new password' },
        now,
      );
      results.push(
        await guess.then(
          () => 'changed',
          (error: AppError) => `${error.code}: ${error.message}`,
        ),
      );
    }
    expect(results.slice(0, 5)).toEqual(Array(5).fill('INVALID: The current password is incorrect.'));
    expect(results[5]).toBe('TOO_MANY_REQUESTS: Too many failed sign-ins. Try again in 1 second.');
  });

  it('ends every other session, keeps this one, and only the new password signs in', async () => {
    const { userId, email } = await newUser('changepw');
    const laptop = await signIn(userId);
    const stolen = await signIn(userId);
    const newPassword = 'a brand new password';
    expect(await laptop.api.security.changePassword({ currentPassword: password, newPassword })).toEqual({ endedSessions: 1 });
    expect(await resolveBrowserSession(fx.db, stolen.secret)).toBeNull();
    expect(await resolveBrowserSession(fx.db, laptop.secret)).not.toBeNull();
    expect(await verifyCredentials(fx.db, { email, password })).toBeNull();
    expect(await verifyCredentials(fx.db, { email, password: newPassword })).toMatchObject({ id: userId });
  });
});

describe('removal from an org', () => {
  it('ends the removed member’s sessions at once, and no one else’s', async () => {
    const owner = await newUser('owner');
    const dev = await newUser('dev');
    const ownerApi = callerFor(fx.db, owner.userId);
    const org = await ownerApi.org.create({ name: 'Removal Co' });
    await callerFor(fx.db, dev.userId).invite.accept({ token: (await ownerApi.invite.create({ orgId: org.id, role: 'DEVELOPER' })).token });
    const devLaptop = await signIn(dev.userId);
    const ownerLaptop = await signIn(owner.userId);
    const membership = (await ownerApi.member.list({ orgId: org.id })).find((m) => m.userId === dev.userId)!;
    await ownerApi.member.remove({ orgId: org.id, membershipId: membership.membershipId });
    expect(await resolveBrowserSession(fx.db, devLaptop.secret)).toBeNull();
    expect(await resolveBrowserSession(fx.db, ownerLaptop.secret)).not.toBeNull();
  });
});
