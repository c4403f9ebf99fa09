// Settings → Integrations through the API: the GitHub webhook secret generated and
// rotated by admins, shown once, verifying deliveries for that org only; agent secrets
// added, listed by hint and deleted; every other role refused.
import { randomBytes } from 'node:crypto';
import { type DatabaseFixture, useTestDatabase } from '@parallax/db/test-database';
import { signGitHubBody } from '@parallax/fleet/testing';
import { openAgentSecrets } from '@parallax/secrets';
import { TRPCError } from '@trpc/server';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { callerFor, uniqueEmail } from './testing/fixtures.ts';
import { receiveGitHubWebhook } from './webhooks/github.ts';

let fx: DatabaseFixture;
const password = 'correct horse battery staple';
const fleet = { pullRequestChanged: async () => true };

beforeAll(async () => {
  fx = await useTestDatabase();
});
beforeEach(() => {
  vi.stubEnv('PARALLAX_SECRETS_KEY', randomBytes(32).toString('base64'));
});
afterEach(() => {
  vi.unstubAllEnvs();
});

async function newUser(label: string) {
  const { userId } = await callerFor(fx.db, null).auth.signUp({ email: uniqueEmail(label), password, name: label });
  return callerFor(fx.db, userId);
}

/** An org with its owner and an admin; `others` adds members of those roles (each sign-up hashes a password: only what a test needs). */
async function newOrg(others: ('LEAD' | 'DEVELOPER' | 'AUDITOR')[] = []) {
  const owner = await newUser('owner');
  const org = await owner.org.create({ name: `Integrations ${Math.random().toString(36).slice(2, 6)}` });
  const join = async (role: 'ADMIN' | 'LEAD' | 'DEVELOPER' | 'AUDITOR') => {
    const member = await newUser(role.toLowerCase());
    await member.invite.accept({ token: (await owner.invite.create({ orgId: org.id, role })).token });
    return member;
  };
  const members = await Promise.all(others.map(join));
  return { orgId: org.id, owner, admin: await join('ADMIN'), others: members };
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'OK';
  } catch (error) {
    if (error instanceof TRPCError) return error.code;
    throw error;
  }
}

const ping = (orgId: string, secret: string) => {
  const body = '{"zen":"Design for failure."}';
  const request = new Request(`http://parallax.test/api/webhooks/github/${orgId}`, {
    method: 'POST',
    headers: { 'x-github-event': 'ping', 'x-hub-signature-256': signGitHubBody(secret, body) },
    body,
  });
  return receiveGitHubWebhook({ db: fx.db, fleet, orgId, request, sourceAddress: '198.51.100.7' });
};

describe('the GitHub webhook integration', () => {
  it('generates a secret shown once that verifies this org’s deliveries, rotates it with an overlap, and lists deliveries', async () => {
    const o = await newOrg();
    const empty = await o.admin.integration.github({ orgId: o.orgId });
    expect(empty).toEqual({ webhookPath: `/api/webhooks/github/${o.orgId}`, secret: null, deliveries: [] });

    const first = await o.admin.integration.generateGitHubSecret({ orgId: o.orgId });
    expect(first.previousValidUntil).toBeNull();
    expect((await ping(o.orgId, first.secret)).status).toBe(200);

    const second = await o.owner.integration.generateGitHubSecret({ orgId: o.orgId, overlapHours: 6 });
    expect(second.previousValidUntil?.getTime()).toBeGreaterThan(Date.now() + 6 * 3_600_000 - 60_000);
    expect((await ping(o.orgId, first.secret)).status).toBe(200);
    expect((await ping(o.orgId, second.secret)).status).toBe(200);

    const view = await o.admin.integration.github({ orgId: o.orgId });
    expect(view.secret).toMatchObject({ hint: second.hint, previousValidUntil: second.previousValidUntil });
    expect(JSON.stringify(view)).not.toContain(second.secret);
    expect(JSON.stringify(view)).not.toContain(first.secret);
    expect(view.deliveries).toHaveLength(3);
    expect(view.deliveries[0]).toMatchObject({ accepted: true, event: 'ping', sourceAddress: '198.51.100.7' });

    // Another org's secret does not verify here, and its deliveries are not in this log.
    const other = await newOrg();
    const theirs = await other.admin.integration.generateGitHubSecret({ orgId: other.orgId });
    expect((await ping(o.orgId, theirs.secret)).status).toBe(401);
    expect((await other.admin.integration.github({ orgId: other.orgId })).deliveries).toEqual([]);
    expect((await o.admin.integration.github({ orgId: o.orgId })).deliveries[0]).toMatchObject({ accepted: false });
  });

  it('refuses an overlap outside 0–168 hours with a 400', async () => {
    const o = await newOrg();
    expect(await codeOf(o.admin.integration.generateGitHubSecret({ orgId: o.orgId, overlapHours: 500 }))).toBe('BAD_REQUEST');
    expect(await codeOf(o.admin.integration.generateGitHubSecret({ orgId: o.orgId, overlapHours: -2 }))).toBe('BAD_REQUEST');
  });

  it('answers 503 with the reason when the server has no secrets key, and stores nothing', async () => {
    const o = await newOrg();
    vi.stubEnv('PARALLAX_SECRETS_KEY', '');
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const refused = await o.admin.integration.generateGitHubSecret({ orgId: o.orgId }).catch((e: TRPCError) => e);
    expect(refused).toMatchObject({ code: 'SERVICE_UNAVAILABLE', message: expect.stringMatching(/PARALLAX_SECRETS_KEY/) });
    expect(await codeOf(o.admin.agentSecret.set({ orgId: o.orgId, name: 'OPENAI_API_KEY', value: 'sk-1234567890' }))).toBe(
      'SERVICE_UNAVAILABLE',
    );
    expect(error).toHaveBeenCalled();
    expect((await o.admin.integration.github({ orgId: o.orgId })).secret).toBeNull();
    error.mockRestore();
  });
});

describe('agent secrets', () => {
  it('adds a secret, lists its hint only, gives it to the worker, and deletes it', async () => {
    const o = await newOrg();
    expect(await o.admin.agentSecret.set({ orgId: o.orgId, name: 'ANTHROPIC_API_KEY', value: 'sk-ant-api03-secretvalue-QRST' })).toEqual({
      name: 'ANTHROPIC_API_KEY',
      hint: '…QRST',
      replaced: false,
    });
    const list = await o.owner.agentSecret.list({ orgId: o.orgId });
    expect(list).toEqual([expect.objectContaining({ name: 'ANTHROPIC_API_KEY', hint: '…QRST', kind: 'AGENT_ENV' })]);
    expect(JSON.stringify(list)).not.toContain('secretvalue');
    expect(await openAgentSecrets(fx.db, o.orgId, ['ANTHROPIC_API_KEY'])).toEqual({ ANTHROPIC_API_KEY: 'sk-ant-api03-secretvalue-QRST' });
    expect(await o.admin.agentSecret.delete({ orgId: o.orgId, name: 'ANTHROPIC_API_KEY' })).toEqual({ deleted: true });
    expect(await o.admin.agentSecret.list({ orgId: o.orgId })).toEqual([]);
    expect(await codeOf(o.admin.agentSecret.delete({ orgId: o.orgId, name: 'ANTHROPIC_API_KEY' }))).toBe('NOT_FOUND');
  });

  it('refuses bad names and values with a 400 naming the problem', async () => {
    const o = await newOrg();
    const refused = await o.admin.agentSecret.set({ orgId: o.orgId, name: 'lower case', value: 'x' }).catch((e: TRPCError) => e);
    expect(refused).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/capital letters/) });
    expect(await codeOf(o.admin.agentSecret.set({ orgId: o.orgId, name: 'KEY', value: 'nul\u0000byte' }))).toBe('BAD_REQUEST');
    expect(await codeOf(o.admin.agentSecret.set({ orgId: o.orgId, name: 'PATH', value: '/tmp/evil' }))).toBe('BAD_REQUEST');
  });
});

describe('who may manage integrations', () => {
  it('refuses leads, developers and auditors, and members of other orgs', async () => {
    const o = await newOrg(['LEAD', 'DEVELOPER', 'AUDITOR']);
    const outsider = await newUser('outsider');
    for (const member of o.others) {
      expect(await codeOf(member.integration.github({ orgId: o.orgId }))).toBe('FORBIDDEN');
      expect(await codeOf(member.integration.generateGitHubSecret({ orgId: o.orgId }))).toBe('FORBIDDEN');
      expect(await codeOf(member.agentSecret.list({ orgId: o.orgId }))).toBe('FORBIDDEN');
      expect(await codeOf(member.agentSecret.set({ orgId: o.orgId, name: 'OPENAI_API_KEY', value: 'sk-1234567890' }))).toBe('FORBIDDEN');
      expect(await codeOf(member.agentSecret.delete({ orgId: o.orgId, name: 'OPENAI_API_KEY' }))).toBe('FORBIDDEN');
    }
    expect(await codeOf(outsider.integration.github({ orgId: o.orgId }))).toBe('FORBIDDEN');
    expect(await codeOf(outsider.agentSecret.set({ orgId: o.orgId, name: 'OPENAI_API_KEY', value: 'sk-1234567890' }))).toBe('FORBIDDEN');
    expect(await o.admin.agentSecret.list({ orgId: o.orgId })).toEqual([]);
  });
});
