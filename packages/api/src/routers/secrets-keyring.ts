// The operator's secrets key, for the routers that seal or open org secrets. Without it
// the server cannot keep secrets at all: a 503 that says so, not a 500 and never a plaintext.
import { defaultKeyring, type Keyring, SecretsKeyError } from '@parallax/secrets';
import { TRPCError } from '@trpc/server';

export function requireKeyring(): Keyring {
  try {
    return defaultKeyring();
  } catch (error) {
    if (!(error instanceof SecretsKeyError)) throw error;
    console.error(`secrets: ${error.message}`);
    throw new TRPCError({
      code: 'SERVICE_UNAVAILABLE',
      message: 'This server cannot store secrets: its operator has not set PARALLAX_SECRETS_KEY.',
    });
  }
}
