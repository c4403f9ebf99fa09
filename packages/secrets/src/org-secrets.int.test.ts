// Org secrets against the real database: generated once, rotated with an overlap, agent
// variables opened for the worker, and Row-Level Security around all of it.
import { randomBytes, randomUUID } from 'node:crypto';
import { type DatabaseFixture, useTestDatabase } from '@parallax/db/test-database';
import { beforeAll, describe, expect, it } from 'vitest';
import { deleteAgentSecret, MissingAgentSecretsError, openAgentSecrets, setAgentSecret } from './agent-secrets.ts';
import { keyringFromEnv } from './keyring.ts';
import { listSecrets } from './list-secrets.ts';
import { SealedSecretError } from './seal.ts';
import { generateWebhookSecret, openWebhookSecrets } from './webhook-secrets.ts';

let fx: DatabaseFixture;
const keyring = keyringFromEnv({ PARALLAX_SECRETS_KEY: randomBytes(32).toString('base64') });
const HOUR = 3_600_000;

beforeAll(async () => {
  fx = await useTestDatabase();
});

async function createOrg(): Promise<string> {
  const orgId = `org-${randomUUID()}`;
  await fx.db.forOrg(orgId, (tx) => tx.organization.create({ data: { id: orgId, slug: orgId, name: 'Secrets Org' } }));
  return orgId;
}
const asAdmin = (orgId: string) => ({ orgId, actorUserId: 'admin-1', keyring });

describe('webhook secrets', () => {
  it('generates a secret shown only in the answer: the row holds it sealed, the list only its hint', async () => {
    const orgId = await createOrg();
    const made = await fx.db.forOrg(orgId, (tx) => generateWebhookSecret(tx, { ...asAdmin(orgId), kind: 'GITHUB_WEBHOOK' }));
    expect(made.secret).toMatch(/^pxwh_[A-Za-z0-9_-]{43}$/);
    expect(made).toMatchObject({ hint: `…${made.secret.slice(-4)}`, previousValidUntil: null });

    const row = await fx.db.forOrg(orgId, (tx) => tx.orgSecret.findFirstOrThrow({ where: { orgId } }));
    expect(row.sealed).not.toContain(made.secret.slice(5));
    const listed = await fx.db.forOrg(orgId, (tx) => listSecrets(tx, { orgId }));
    expect(listed).toEqual([
      expect.objectContaining({ kind: 'GITHUB_WEBHOOK', name: 'default', hint: made.hint, previousValidUntil: null }),
    ]);
    expect(JSON.stringify(listed)).not.toContain(made.secret);
    expect(listed[0]).not.toHaveProperty('sealed');
    expect(await fx.db.forOrg(orgId, (tx) => openWebhookSecrets(tx, { orgId, kind: 'GITHUB_WEBHOOK', keyring }))).toEqual([made.secret]);
  });

  it('keeps the previous value verifying during the overlap after a rotation, and only the new one after it', async () => {
    const orgId = await createOrg();
    const t0 = new Date('2026-12-01T10:00:00Z');
    const first = await fx.db.forOrg(orgId, (tx) => generateWebhookSecret(tx, { ...asAdmin(orgId), kind: 'GITHUB_WEBHOOK', now: t0 }));
    const second = await fx.db.forOrg(orgId, (tx) =>
      generateWebhookSecret(tx, { ...asAdmin(orgId), kind: 'GITHUB_WEBHOOK', overlapHours: 2, now: t0 }),
    );
    expect(second.secret).not.toBe(first.secret);
    expect(second.previousValidUntil).toEqual(new Date(t0.getTime() + 2 * HOUR));
    const at = (ms: number) =>
      fx.db.forOrg(orgId, (tx) => openWebhookSecrets(tx, { orgId, kind: 'GITHUB_WEBHOOK', keyring, now: new Date(t0.getTime() + ms) }));
    expect(await at(HOUR)).toEqual([second.secret, first.secret]);
    expect(await at(2 * HOUR + 1)).toEqual([second.secret]);
    const listed = await fx.db.forOrg(orgId, (tx) => listSecrets(tx, { orgId, now: new Date(t0.getTime() + HOUR) }));
    expect(listed[0]).toMatchObject({ rotatedAt: t0, previousValidUntil: second.previousValidUntil });

    // No overlap: the old value stops at once.
    const third = await fx.db.forOrg(orgId, (tx) =>
      generateWebhookSecret(tx, { ...asAdmin(orgId), kind: 'GITHUB_WEBHOOK', overlapHours: 0, now: t0 }),
    );
    expect(await at(1)).toEqual([third.secret]);
  });

  it('refuses an overlap that is negative, fractional or over a week, and changes nothing', async () => {
    const orgId = await createOrg();
    const made = await fx.db.forOrg(orgId, (tx) => generateWebhookSecret(tx, { ...asAdmin(orgId), kind: 'GITHUB_WEBHOOK' }));
    for (const overlapHours of [-1, 1.5, 169])
      await expect(
        fx.db.forOrg(orgId, (tx) => generateWebhookSecret(tx, { ...asAdmin(orgId), kind: 'GITHUB_WEBHOOK', overlapHours })),
      ).rejects.toMatchObject({ name: 'ZodError' });
    expect(await fx.db.forOrg(orgId, (tx) => openWebhookSecrets(tx, { orgId, kind: 'GITHUB_WEBHOOK', keyring }))).toEqual([made.secret]);
  });

  it('has no secret for an org that never generated one', async () => {
    const orgId = await createOrg();
    expect(await fx.db.forOrg(orgId, (tx) => openWebhookSecrets(tx, { orgId, kind: 'GITHUB_WEBHOOK', keyring }))).toEqual([]);
  });
});

describe('agent secrets', () => {
  it('stores a value sealed, answers only its hint, opens it for the worker, and deletes it', async () => {
    const orgId = await createOrg();
    const set = await fx.db.forOrg(orgId, (tx) =>
      setAgentSecret(tx, { ...asAdmin(orgId), name: 'ANTHROPIC_API_KEY', value: 'sk-ant-abc123wxyz' }),
    );
    expect(set).toEqual({ name: 'ANTHROPIC_API_KEY', hint: '…wxyz', replaced: false });
    await fx.db.forOrg(orgId, (tx) => setAgentSecret(tx, { ...asAdmin(orgId), name: 'OPENAI_API_KEY', value: 'sk-openai-000111' }));
    expect(await openAgentSecrets(fx.db, orgId, ['ANTHROPIC_API_KEY', 'OPENAI_API_KEY'], keyring)).toEqual({
      ANTHROPIC_API_KEY: 'sk-ant-abc123wxyz',
      OPENAI_API_KEY: 'sk-openai-000111',
    });
    // Only what was asked for.
    expect(await openAgentSecrets(fx.db, orgId, ['OPENAI_API_KEY'], keyring)).toEqual({ OPENAI_API_KEY: 'sk-openai-000111' });
    expect(await openAgentSecrets(fx.db, orgId, [], keyring)).toEqual({});

    const replaced = await fx.db.forOrg(orgId, (tx) =>
      setAgentSecret(tx, { ...asAdmin(orgId), name: 'OPENAI_API_KEY', value: 'sk-new-value-9999' }),
    );
    expect(replaced).toMatchObject({ replaced: true, hint: '…9999' });
    expect(await openAgentSecrets(fx.db, orgId, ['OPENAI_API_KEY'], keyring)).toEqual({ OPENAI_API_KEY: 'sk-new-value-9999' });

    await fx.db.forOrg(orgId, (tx) => deleteAgentSecret(tx, { orgId, actorUserId: 'admin-1', name: 'OPENAI_API_KEY' }));
    const names = (await fx.db.forOrg(orgId, (tx) => listSecrets(tx, { orgId, kind: 'AGENT_ENV' }))).map((s) => s.name);
    expect(names).toEqual(['ANTHROPIC_API_KEY']);
    await expect(
      fx.db.forOrg(orgId, (tx) => deleteAgentSecret(tx, { orgId, actorUserId: 'admin-1', name: 'OPENAI_API_KEY' })),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    const audit = await fx.db.forOrg(orgId, (tx) => tx.auditLog.findMany({ where: { orgId }, orderBy: { at: 'asc' } }));
    expect(audit.map((a) => a.action)).toEqual(['secret.create', 'secret.create', 'secret.replace', 'secret.delete']);
    expect(JSON.stringify(audit)).not.toContain('sk-');
  });

  it('names every secret the org lacks instead of starting a session without it', async () => {
    const orgId = await createOrg();
    await fx.db.forOrg(orgId, (tx) => setAgentSecret(tx, { ...asAdmin(orgId), name: 'ANTHROPIC_API_KEY', value: 'sk-ant-abc123wxyz' }));
    const failure = await openAgentSecrets(fx.db, orgId, ['ANTHROPIC_API_KEY', 'OPENAI_API_KEY', 'GEMINI_KEY'], keyring).catch(
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(MissingAgentSecretsError);
    expect(failure).toMatchObject({ code: 'INVALID', names: ['OPENAI_API_KEY', 'GEMINI_KEY'] });
    expect((failure as Error).message).toMatch(/OPENAI_API_KEY, GEMINI_KEY/);
  });

  it('refuses bad names and values with a message naming the problem', async () => {
    const orgId = await createOrg();
    const attempt = (name: string, value = 'value-1234') =>
      fx.db
        .forOrg(orgId, (tx) => setAgentSecret(tx, { ...asAdmin(orgId), name, value }))
        .catch((e: { issues?: { message: string }[] }) => e.issues?.[0]?.message);
    expect(await attempt('anthropic_api_key')).toMatch(/capital letters/);
    expect(await attempt('1KEY')).toMatch(/not starting with a digit/);
    expect(await attempt('KEY\u0000X')).toMatch(/capital letters/);
    expect(await attempt('PATH')).toMatch(/set by the sandbox/);
    expect(await attempt('LD_PRELOAD')).toMatch(/set by the sandbox/);
    expect(await attempt('BASH_ENV')).toMatch(/set by the sandbox/);
    expect(await attempt('IFS')).toMatch(/set by the sandbox/);
    expect(await attempt('A'.repeat(101))).toMatch(/at most 100/);
    expect(await attempt('GOOD_NAME', '')).toMatch(/Give the secret/);
    expect(await attempt('GOOD_NAME', 'a\u0000b')).toMatch(/NUL/);
    expect(await attempt('GOOD_NAME', 'x'.repeat(16_385))).toMatch(/16 KB/);
    expect(await fx.db.forOrg(orgId, (tx) => listSecrets(tx, { orgId }))).toEqual([]);
  });

  it('does not open under another key: a missing or changed operator key is an error, never an empty value', async () => {
    const orgId = await createOrg();
    await fx.db.forOrg(orgId, (tx) => setAgentSecret(tx, { ...asAdmin(orgId), name: 'ANTHROPIC_API_KEY', value: 'sk-ant-abc123wxyz' }));
    const other = keyringFromEnv({ PARALLAX_SECRETS_KEY: randomBytes(32).toString('base64') });
    await expect(openAgentSecrets(fx.db, orgId, ['ANTHROPIC_API_KEY'], other)).rejects.toThrow(/not in PARALLAX_SECRETS_KEY/);
  });
});

describe('org secrets under Row-Level Security', () => {
  it('org B sees, opens, replaces and deletes none of org A’s secrets', async () => {
    const orgA = await createOrg();
    const orgB = await createOrg();
    await fx.db.forOrg(orgA, (tx) => setAgentSecret(tx, { ...asAdmin(orgA), name: 'ANTHROPIC_API_KEY', value: 'sk-ant-of-org-a' }));
    await fx.db.forOrg(orgA, (tx) => generateWebhookSecret(tx, { ...asAdmin(orgA), kind: 'GITHUB_WEBHOOK' }));

    expect(await fx.db.forOrg(orgB, (tx) => tx.orgSecret.findMany())).toEqual([]);
    expect(await fx.db.forOrg(orgB, (tx) => listSecrets(tx, { orgId: orgA }))).toEqual([]);
    expect(await fx.db.forOrg(orgB, (tx) => openWebhookSecrets(tx, { orgId: orgA, kind: 'GITHUB_WEBHOOK', keyring }))).toEqual([]);
    await expect(openAgentSecrets(fx.db, orgB, ['ANTHROPIC_API_KEY'], keyring)).rejects.toBeInstanceOf(MissingAgentSecretsError);
    await expect(
      fx.db.forOrg(orgB, (tx) => deleteAgentSecret(tx, { orgId: orgA, actorUserId: 'b', name: 'ANTHROPIC_API_KEY' })),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    // Writing a row for org A from org B's scope is refused by the policy.
    await expect(
      fx.db.forOrg(orgB, (tx) => tx.orgSecret.create({ data: { orgId: orgA, kind: 'AGENT_ENV', name: 'X', sealed: 's', hint: 'h' } })),
    ).rejects.toThrow(/row-level security/);
    // No org in scope: nothing at all.
    expect(await fx.db.scoped({}, (tx) => tx.orgSecret.count())).toBe(0);
    expect(await openAgentSecrets(fx.db, orgA, ['ANTHROPIC_API_KEY'], keyring)).toEqual({ ANTHROPIC_API_KEY: 'sk-ant-of-org-a' });
  });

  it('a sealed value copied into another org’s row does not open there', async () => {
    const orgA = await createOrg();
    const orgB = await createOrg();
    await fx.db.forOrg(orgA, (tx) => setAgentSecret(tx, { ...asAdmin(orgA), name: 'ANTHROPIC_API_KEY', value: 'sk-ant-of-org-a' }));
    const sealed = await fx.db.forOrg(orgA, (tx) => tx.orgSecret.findFirstOrThrow({ where: { name: 'ANTHROPIC_API_KEY' } }));
    await fx.db.forOrg(orgB, (tx) =>
      tx.orgSecret.create({ data: { orgId: orgB, kind: 'AGENT_ENV', name: 'ANTHROPIC_API_KEY', sealed: sealed.sealed, hint: 'x' } }),
    );
    await expect(openAgentSecrets(fx.db, orgB, ['ANTHROPIC_API_KEY'], keyring)).rejects.toBeInstanceOf(SealedSecretError);
  });
});
