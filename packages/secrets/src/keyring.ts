// The key that seals every org secret comes from the operator's environment, never the
// database: a dump of the database alone opens nothing. Sealed text names its key
// (`v1.<keyId>.…`), so a new key can be added while old rows are still opened with the
// previous one (PARALLAX_SECRETS_PREVIOUS_KEYS), then re-sealed at their next rotation.
import { createHash } from 'node:crypto';

export class SecretsKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretsKeyError';
  }
}

export interface Keyring {
  /** The key new secrets are sealed with. */
  current: { id: string; key: Buffer };
  /** Every key that may open a sealed text, by id (the current one included). */
  byId: ReadonlyMap<string, Buffer>;
}

const HOW = 'set PARALLAX_SECRETS_KEY to 32 random bytes in base64 (openssl rand -base64 32)';

function decodeKey(text: string, variable: string): Buffer {
  const trimmed = text.trim();
  const key = /^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed) ? Buffer.from(trimmed, 'base64') : Buffer.alloc(0);
  if (key.length !== 32) throw new SecretsKeyError(`${variable} is not 32 bytes of base64 (${HOW})`);
  return key;
}

/** A short public name of a key: lets a sealed text say which key opens it without saying anything about the key. */
export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update('parallax-secrets-key-id').update(key).digest('hex').slice(0, 8);
}

/** Builds the keyring from the environment; a missing or malformed key is an error, never a plaintext fallback. */
export function keyringFromEnv(env: Record<string, string | undefined> = process.env): Keyring {
  const text = env.PARALLAX_SECRETS_KEY;
  if (!text?.trim()) throw new SecretsKeyError(`Org secrets cannot be sealed or opened: ${HOW}.`);
  const current = decodeKey(text, 'PARALLAX_SECRETS_KEY');
  const previous = (env.PARALLAX_SECRETS_PREVIOUS_KEYS ?? '')
    .split(',')
    .filter((s) => s.trim())
    .map((s) => decodeKey(s, 'PARALLAX_SECRETS_PREVIOUS_KEYS'));
  const byId = new Map<string, Buffer>();
  for (const key of [...previous, current]) byId.set(keyIdOf(key), key);
  return { current: { id: keyIdOf(current), key: current }, byId };
}

let cached: { text: string | undefined; keyring: Keyring } | undefined;

/** The process's keyring, read from process.env on first use (and again if the variable changes). */
export function defaultKeyring(): Keyring {
  const text = `${process.env.PARALLAX_SECRETS_KEY}|${process.env.PARALLAX_SECRETS_PREVIOUS_KEYS}`;
  if (cached?.text !== text) cached = { text, keyring: keyringFromEnv(process.env) };
  return cached.keyring;
}
