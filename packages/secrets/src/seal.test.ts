import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { keyringFromEnv, SecretsKeyError } from './keyring.ts';
import { hintOf, open, SealedSecretError, seal } from './seal.ts';

const keyA = randomBytes(32).toString('base64');
const keyB = randomBytes(32).toString('base64');
const ringA = keyringFromEnv({ PARALLAX_SECRETS_KEY: keyA });
const here = { orgId: 'org-a', kind: 'AGENT_ENV', name: 'ANTHROPIC_API_KEY' };

function flipLastByteOf(sealed: string, part: number): string {
  const parts = sealed.split('.');
  const bytes = Buffer.from(parts[part] ?? '', 'base64url');
  bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 1;
  parts[part] = bytes.toString('base64url');
  return parts.join('.');
}

describe('sealing org secrets', () => {
  it('opens what it sealed, and the sealed text names its version and key but not the secret', () => {
    const sealed = seal(ringA, here, 'sk-ant-very-secret-value');
    expect(sealed).toMatch(/^v1\.[0-9a-f]{8}\./);
    expect(sealed).not.toContain('very-secret');
    expect(open(ringA, here, sealed)).toBe('sk-ant-very-secret-value');
    // A fresh nonce each time: the same secret never seals to the same text.
    expect(seal(ringA, here, 'sk-ant-very-secret-value')).not.toBe(sealed);
  });

  it('detects a changed ciphertext, tag or nonce', () => {
    const sealed = seal(ringA, here, 'value-to-protect');
    for (const part of [2, 3, 4]) expect(() => open(ringA, here, flipLastByteOf(sealed, part))).toThrow(SealedSecretError);
    expect(() => open(ringA, here, 'v1.garbage')).toThrow(SealedSecretError);
    expect(() => open(ringA, here, `v2${sealed.slice(2)}`)).toThrow(SealedSecretError);
  });

  it('refuses a sealed text copied into another org’s row or under another name', () => {
    const sealed = seal(ringA, here, 'value-to-protect');
    expect(() => open(ringA, { ...here, orgId: 'org-b' }, sealed)).toThrow(SealedSecretError);
    expect(() => open(ringA, { ...here, name: 'OPENAI_API_KEY' }, sealed)).toThrow(SealedSecretError);
    expect(() => open(ringA, { ...here, kind: 'GITHUB_WEBHOOK' }, sealed)).toThrow(SealedSecretError);
  });

  it('does not open under another key, and says which key it needs', () => {
    const sealed = seal(ringA, here, 'value-to-protect');
    const ringB = keyringFromEnv({ PARALLAX_SECRETS_KEY: keyB });
    expect(() => open(ringB, here, sealed)).toThrow(SecretsKeyError);
    expect(() => open(ringB, here, sealed)).toThrow(/sealed with key [0-9a-f]{8}/);
    // The same id with a forged key (someone rewrote the id): GCM still refuses.
    const forgedId = sealed.replace(/^v1\.[0-9a-f]{8}/, `v1.${ringB.current.id}`);
    expect(() => open(ringB, here, forgedId)).toThrow(SealedSecretError);
  });

  it('opens texts sealed with a previous key after the key is rotated, and seals new ones with the new key', () => {
    const old = seal(ringA, here, 'sealed-before-rotation');
    const rotated = keyringFromEnv({ PARALLAX_SECRETS_KEY: keyB, PARALLAX_SECRETS_PREVIOUS_KEYS: keyA });
    expect(open(rotated, here, old)).toBe('sealed-before-rotation');
    expect(seal(rotated, here, 'x').split('.')[1]).toBe(rotated.current.id);
    expect(rotated.current.id).not.toBe(ringA.current.id);
  });

  it('refuses to work without a key, or with one that is not 32 bytes of base64', () => {
    expect(() => keyringFromEnv({})).toThrow(/set PARALLAX_SECRETS_KEY/);
    expect(() => keyringFromEnv({ PARALLAX_SECRETS_KEY: '  ' })).toThrow(SecretsKeyError);
    expect(() => keyringFromEnv({ PARALLAX_SECRETS_KEY: randomBytes(16).toString('base64') })).toThrow(/not 32 bytes/);
    expect(() => keyringFromEnv({ PARALLAX_SECRETS_KEY: 'not base64 at all!' })).toThrow(/not 32 bytes/);
    expect(() => keyringFromEnv({ PARALLAX_SECRETS_KEY: keyA, PARALLAX_SECRETS_PREVIOUS_KEYS: 'short' })).toThrow(
      /PARALLAX_SECRETS_PREVIOUS_KEYS/,
    );
  });

  it('hints with the last four characters only', () => {
    expect(hintOf('pxwh_abcdefghijklmnop')).toBe('…mnop');
    expect(hintOf('short')).toBe('…');
  });
});
