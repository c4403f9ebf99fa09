// Where the fleet's Temporal service is and how to authenticate to it, read from the
// environment so the same code runs against the dev server, a self-hosted cluster
// and Temporal Cloud. Worker and clients both connect through `connectionOptions`.
import { readFileSync } from 'node:fs';
import type { TLSConfig } from '@temporalio/client';
import { z } from 'zod';

/** The one task queue of the fleet. Workers poll it; every workflow start names it. */
export const TASK_QUEUE = 'parallax';

export interface TemporalConfig {
  address: string;
  namespace: string;
  /** Absent: plaintext (dev server, a cluster on a private network). */
  tls?: TLSConfig;
  /** Temporal Cloud API key; sent as `Authorization: Bearer …` over TLS. */
  apiKey?: string;
}

export class TemporalConfigError extends Error {
  override name = 'TemporalConfigError';
}

const optional = z.string().trim().optional();

// host:port or [ipv6]:port. A URL (http://…, grpc://…) is a common mistake: gRPC takes no scheme.
function isHostPort(address: string): boolean {
  const match = /^(?:\[[0-9a-fA-F:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?):(\d{1,5})$/.exec(address);
  const port = Number(match?.[1]);
  return port > 0 && port <= 65535;
}

const ZTemporalEnv = z
  .object({
    TEMPORAL_ADDRESS: z.string().trim().default('127.0.0.1:7233').refine(isHostPort, {
      message: 'must be host:port without a scheme, e.g. 127.0.0.1:7233 or my-ns.a1b2c.tmprl.cloud:7233',
    }),
    TEMPORAL_NAMESPACE: z
      .string()
      .trim()
      .default('default')
      .refine((n) => /^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$/.test(n), {
        message: 'must be a namespace name (letters, digits, ".", "_", "-"), e.g. default or my-ns.a1b2c',
      }),
    TEMPORAL_TLS: z
      .enum(['true', 'false', '1', '0'])
      .optional()
      .transform((v) => (v === 'true' || v === '1' ? true : v === 'false' || v === '0' ? false : undefined)),
    TEMPORAL_TLS_CERT: optional,
    TEMPORAL_TLS_KEY: optional,
    TEMPORAL_TLS_CA: optional,
    TEMPORAL_TLS_SERVER_NAME: optional,
    TEMPORAL_API_KEY: optional,
  })
  .superRefine((env, ctx) => {
    if (Boolean(env.TEMPORAL_TLS_CERT) !== Boolean(env.TEMPORAL_TLS_KEY)) {
      const missing = env.TEMPORAL_TLS_CERT ? 'TEMPORAL_TLS_KEY' : 'TEMPORAL_TLS_CERT';
      ctx.addIssue({ code: 'custom', path: [missing], message: 'mTLS needs both TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY (file paths)' });
    }
    if (env.TEMPORAL_API_KEY && env.TEMPORAL_TLS_CERT) {
      ctx.addIssue({
        code: 'custom',
        path: ['TEMPORAL_API_KEY'],
        message: 'choose one way to authenticate: TEMPORAL_API_KEY or TEMPORAL_TLS_CERT/TEMPORAL_TLS_KEY, not both',
      });
    }
    const wantsTls = env.TEMPORAL_TLS_CERT || env.TEMPORAL_TLS_CA || env.TEMPORAL_TLS_SERVER_NAME || env.TEMPORAL_API_KEY;
    if (env.TEMPORAL_TLS === false && wantsTls) {
      ctx.addIssue({
        code: 'custom',
        path: ['TEMPORAL_TLS'],
        message: 'is false, but TLS settings or an API key (which needs TLS) are set',
      });
    }
  });

function readPemFile(variable: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new TemporalConfigError(
      `Invalid Temporal configuration: ${variable}: cannot read ${path} (${(err as NodeJS.ErrnoException).code})`,
    );
  }
}

/** Parses the TEMPORAL_* variables; throws a TemporalConfigError naming every bad one. */
export function loadTemporalConfig(env: Record<string, string | undefined> = process.env): TemporalConfig {
  // An empty variable (`TEMPORAL_API_KEY=` in a compose file) means unset.
  const set = Object.fromEntries(Object.entries(env).filter(([name, value]) => name.startsWith('TEMPORAL_') && value?.trim()));
  const parsed = ZTemporalEnv.safeParse(set);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`);
    throw new TemporalConfigError(`Invalid Temporal configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const config: TemporalConfig = { address: e.TEMPORAL_ADDRESS, namespace: e.TEMPORAL_NAMESPACE };
  if (e.TEMPORAL_API_KEY) config.apiKey = e.TEMPORAL_API_KEY;
  // An API key implies TLS: Temporal Cloud refuses it in the clear.
  if (e.TEMPORAL_TLS || e.TEMPORAL_TLS_CERT || e.TEMPORAL_TLS_CA || e.TEMPORAL_TLS_SERVER_NAME || e.TEMPORAL_API_KEY) {
    const tls: TLSConfig = {};
    if (e.TEMPORAL_TLS_CERT && e.TEMPORAL_TLS_KEY) {
      tls.clientCertPair = {
        crt: readPemFile('TEMPORAL_TLS_CERT', e.TEMPORAL_TLS_CERT),
        key: readPemFile('TEMPORAL_TLS_KEY', e.TEMPORAL_TLS_KEY),
      };
    }
    if (e.TEMPORAL_TLS_CA) tls.serverRootCACertificate = readPemFile('TEMPORAL_TLS_CA', e.TEMPORAL_TLS_CA);
    if (e.TEMPORAL_TLS_SERVER_NAME) tls.serverNameOverride = e.TEMPORAL_TLS_SERVER_NAME;
    config.tls = tls;
  }
  return config;
}

/** Options accepted by both `Connection.connect` (clients) and `NativeConnection.connect` (workers). */
export function connectionOptions(config: TemporalConfig): { address: string; tls?: TLSConfig; apiKey?: string } {
  return { address: config.address, ...(config.tls && { tls: config.tls }), ...(config.apiKey && { apiKey: config.apiKey }) };
}

/** A one-line description for logs; never includes secrets. */
export function describeTemporalConfig(config: TemporalConfig): string {
  const auth = config.apiKey ? 'API key' : config.tls?.clientCertPair ? 'mTLS' : config.tls ? 'TLS' : 'plaintext';
  return `${config.address} (namespace ${config.namespace}, ${auth}, task queue ${TASK_QUEUE})`;
}
