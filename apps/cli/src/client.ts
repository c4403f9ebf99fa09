// The one way plx talks to a Parallax server: its REST API under /api/v1, with the API
// token as a bearer token. Every answer is checked against its zod schema, so a wrong
// URL (another web server, a proxy's error page) is reported as such, not as a crash.
import { z } from 'zod';
import { CliError, UsageError } from './errors.ts';

const TIMEOUT_MS = 15_000;

export const ZMe = z.object({
  user: z.object({ id: z.string(), email: z.string(), name: z.string().nullable() }),
  org: z.object({ id: z.string(), slug: z.string(), name: z.string() }),
  scopes: z.array(z.string()),
});
export type TMe = z.infer<typeof ZMe>;

const ZErrorBody = z.object({ error: z.string() });

/** The server refused the token (401/403): the caller says what to do about it. */
export class TokenRefusedError extends CliError {
  override name = 'TokenRefusedError';
}

const ZServerUrl = z.url({ protocol: /^https?$/ });

/** Normalizes a server URL (no trailing slash, query or fragment); a UsageError if it is not http(s). */
export function parseServerUrl(input: string): string {
  const trimmed = input.trim();
  if (!ZServerUrl.safeParse(trimmed).success) {
    const hint = /^[\w.-]+(:\d+)?(\/.*)?$/.test(trimmed) ? ` (did you mean http://${trimmed} ?)` : '';
    throw new UsageError(`not a server URL: "${input}"; expected http(s)://host[:port], e.g. https://parallax.example.com${hint}`);
  }
  const url = new URL(trimmed);
  if (url.username || url.password)
    throw new UsageError('the server URL must not contain a user name or password; pass the token with --token');
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

function describeNetworkError(err: unknown): string {
  if (err instanceof DOMException && err.name === 'TimeoutError') return `no answer within ${TIMEOUT_MS / 1000} s`;
  const code = (err as { cause?: { code?: string } }).cause?.code;
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host not found';
    case 'ECONNRESET':
      return 'connection reset';
    default:
      return code ?? (err as { cause?: Error }).cause?.message ?? (err as Error).message;
  }
}

export function createClient({ url, token }: { url: string; token: string }) {
  async function get<T>(path: string, schema: z.ZodType<T>): Promise<T> {
    const endpoint = `${url}${path}`;
    let response: Response;
    try {
      response = await fetch(endpoint, {
        headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (err) {
      throw new CliError(`cannot reach ${url}: ${describeNetworkError(err)}. Is Parallax running there? (check --url or PLX_URL)`);
    }
    const body: unknown = await response.json().catch(() => undefined);
    if (response.status === 401 || response.status === 403) {
      const reason = ZErrorBody.safeParse(body).data?.error ?? response.statusText;
      throw new TokenRefusedError(`the server refused the token (${response.status}: ${reason})`);
    }
    if (!response.ok) {
      const reason = ZErrorBody.safeParse(body).data?.error ?? response.statusText;
      throw new CliError(`${endpoint} answered ${response.status}: ${reason}`);
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) throw new CliError(`${endpoint} gave an answer plx does not understand; is ${url} a Parallax server?`);
    return parsed.data;
  }

  return {
    /** Who the token belongs to: user, org and the token's scopes. */
    me: () => get('/api/v1/me', ZMe),
  };
}
