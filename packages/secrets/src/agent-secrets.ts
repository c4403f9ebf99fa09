// Variables an org gives its agents (ANTHROPIC_API_KEY, OPENAI_API_KEY, …): entered by
// an admin, sealed at once, never shown again (only a hint). The worker opens the ones
// an agent profile names for a session, and nothing else of the worker's reaches the agent.
import { type Database, isUniqueViolation, type Tx } from '@parallax/db';
import { AppError, notFound, recordAudit } from '@parallax/tenancy';
import { z } from 'zod';
import { defaultKeyring, type Keyring } from './keyring.ts';
import { hintOf, open, seal } from './seal.ts';

// Variables the sandbox sets itself or that change how a program loads: an org secret
// must not be able to replace them.
const RESERVED =
  /^(PATH|HOME|USER|LOGNAME|SHELL|PWD|TMPDIR|TERM|LANG|NODE_OPTIONS|LD_.*|DYLD_.*|GIT_.*|PARALLAX_.*|ENV|BASH_ENV|BASH_FUNC_.*|IFS|SHELLOPTS|BASHOPTS|PS4|CDPATH|GCONV_PATH|LOCPATH|MALLOC_.*|GLIBC_TUNABLES)$/;

export const ZAgentSecretName = z
  .string()
  .trim()
  .min(1, { message: 'Name the variable' })
  .max(100, { message: 'Use at most 100 characters for the name' })
  .regex(/^[A-Z_][A-Z0-9_]*$/, { message: 'A variable name is capital letters, digits and "_", not starting with a digit' })
  .refine((n) => !RESERVED.test(n), { message: 'This variable is set by the sandbox itself; choose another name' });

export const ZAgentSecretValue = z
  .string()
  .min(1, { message: 'Give the secret’s value' })
  .max(16_384, { message: 'A secret value is at most 16 KB' })
  .refine((v) => !v.includes('\0'), { message: 'A secret value cannot contain a NUL byte' });

export class MissingAgentSecretsError extends AppError {
  constructor(readonly names: string[]) {
    super('INVALID', `This organization has no agent secret named ${names.join(', ')}; add it in Settings → Integrations.`);
    this.name = 'MissingAgentSecretsError';
  }
}

const context = (orgId: string, name: string) => ({ orgId, kind: 'AGENT_ENV', name });

/** Adds or replaces an agent secret; answers only its name and hint. */
export async function setAgentSecret(
  tx: Tx,
  o: { orgId: string; actorUserId: string; name: string; value: string; keyring: Keyring; now?: Date },
): Promise<{ name: string; hint: string; replaced: boolean }> {
  const name = ZAgentSecretName.parse(o.name);
  const value = ZAgentSecretValue.parse(o.value);
  const sealed = seal(o.keyring, context(o.orgId, name), value);
  const hint = hintOf(value);
  const where = { orgId_kind_name: { orgId: o.orgId, kind: 'AGENT_ENV' as const, name } };
  const existing = await tx.orgSecret.findUnique({ where, select: { id: true } });
  try {
    if (existing) await tx.orgSecret.update({ where: { id: existing.id }, data: { sealed, hint, rotatedAt: o.now ?? new Date() } });
    else await tx.orgSecret.create({ data: { orgId: o.orgId, kind: 'AGENT_ENV', name, sealed, hint, createdById: o.actorUserId } });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('CONFLICT', `An agent secret named ${name} was just added; try again.`);
    throw error;
  }
  await recordAudit(tx, {
    orgId: o.orgId,
    actorUserId: o.actorUserId,
    action: existing ? 'secret.replace' : 'secret.create',
    targetType: 'OrgSecret',
    data: { kind: 'AGENT_ENV', name, hint },
  });
  return { name, hint, replaced: Boolean(existing) };
}

export async function deleteAgentSecret(tx: Tx, o: { orgId: string; actorUserId: string; name: string }): Promise<void> {
  const name = ZAgentSecretName.parse(o.name);
  const { count } = await tx.orgSecret.deleteMany({ where: { orgId: o.orgId, kind: 'AGENT_ENV', name } });
  if (count === 0) throw notFound(`Agent secret ${name}`);
  await recordAudit(tx, {
    orgId: o.orgId,
    actorUserId: o.actorUserId,
    action: 'secret.delete',
    targetType: 'OrgSecret',
    data: { kind: 'AGENT_ENV', name },
  });
}

/**
 * For the worker: the named agent secrets of an org, opened, as environment variables
 * for one session. Throws MissingAgentSecretsError naming every name the org lacks,
 * so a session never starts with half its variables.
 */
export async function openAgentSecrets(
  db: Database,
  orgId: string,
  names: readonly string[],
  keyring: Keyring = defaultKeyring(),
): Promise<Record<string, string>> {
  const wanted = [...new Set(names)];
  if (wanted.length === 0) return {};
  const rows = await db.forOrg(orgId, (tx) =>
    tx.orgSecret.findMany({ where: { orgId, kind: 'AGENT_ENV', name: { in: wanted } }, select: { name: true, sealed: true } }),
  );
  const missing = wanted.filter((n) => !rows.some((r) => r.name === n));
  if (missing.length > 0) throw new MissingAgentSecretsError(missing);
  return Object.fromEntries(rows.map((r) => [r.name, open(keyring, context(orgId, r.name), r.sealed)]));
}
