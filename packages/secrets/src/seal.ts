// AES-256-GCM with a fresh 96-bit nonce per seal. The additional data binds a sealed
// text to its row (org, kind, name): copying another org's sealed column into your
// own row does not open, so a write to the table cannot move a secret between orgs.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { type Keyring, SecretsKeyError } from './keyring.ts';

const VERSION = 'v1';

/** Where a sealed text belongs: authenticated, not encrypted. */
export interface SealContext {
  orgId: string;
  kind: string;
  name: string;
}

export class SealedSecretError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SealedSecretError';
  }
}

const aad = (c: SealContext) => Buffer.from(`parallax-org-secret\n${c.orgId}\n${c.kind}\n${c.name}`);

export function seal(keyring: Keyring, context: SealContext, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyring.current.key, iv).setAAD(aad(context));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, keyring.current.id, iv.toString('base64url'), body.toString('base64url'), tag.toString('base64url')].join('.');
}

/** Opens a sealed text; throws SealedSecretError when it was altered, moved to another row, or sealed under a key not in the ring. */
export function open(keyring: Keyring, context: SealContext, sealed: string): string {
  const parts = sealed.split('.');
  if (parts.length !== 5 || parts[0] !== VERSION) throw new SealedSecretError('not a sealed secret of a known version');
  const [, keyId, iv, body, tag] = parts as [string, string, string, string, string];
  const key = keyring.byId.get(keyId);
  if (!key)
    throw new SecretsKeyError(
      `this secret was sealed with key ${keyId}, which is not in PARALLAX_SECRETS_KEY or PARALLAX_SECRETS_PREVIOUS_KEYS`,
    );
  const tagBytes = Buffer.from(tag, 'base64url');
  if (tagBytes.length !== 16) throw new SealedSecretError('the sealed secret is damaged');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url')).setAAD(aad(context));
    decipher.setAuthTag(tagBytes);
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    throw new SealedSecretError('the sealed secret does not open: it was altered, or it belongs to another row');
  }
}

/** The last four characters: enough to tell two secrets apart, too little to guess one. */
export function hintOf(secret: string): string {
  return secret.length <= 8 ? '…' : `…${secret.slice(-4)}`;
}
