// @parallax/secrets: an org's secrets, sealed at rest under the operator's key.
export { defaultKeyring, type Keyring, keyIdOf, keyringFromEnv, SecretsKeyError } from './keyring.ts';
export { hintOf, open, SealedSecretError, seal, type SealContext } from './seal.ts';
export { listSecrets, type SecretSummary } from './list-secrets.ts';
export {
  DEFAULT_OVERLAP_HOURS,
  generateWebhookSecret,
  openWebhookSecrets,
  WEBHOOK_SECRET_KINDS,
  ZOverlapHours,
  type GeneratedWebhookSecret,
  type WebhookSecretKind,
} from './webhook-secrets.ts';
export {
  deleteAgentSecret,
  MissingAgentSecretsError,
  openAgentSecrets,
  setAgentSecret,
  ZAgentSecretName,
  ZAgentSecretValue,
} from './agent-secrets.ts';
