// What every response carries, and which requests the edge refuses before any route
// runs. Pure functions of the request, so proxy.ts stays wiring and this is unit-tested.

/**
 * The policy of pages. Next.js reads the nonce from the request's CSP header and puts
 * it on its own scripts; 'strict-dynamic' lets those load the chunks they need. Style
 * attributes cannot carry a nonce and React renders some, hence style-src-attr.
 */
export function pageContentSecurityPolicy(nonce: string, options: { dev?: boolean; https?: boolean } = {}): string {
  return [
    "default-src 'self'",
    // React's development build evaluates code for its debugging aids; production never does.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${options.dev ? " 'unsafe-eval'" : ''}`,
    `style-src 'self' 'nonce-${nonce}'`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(options.https ? ['upgrade-insecure-requests'] : []),
  ].join('; ');
}

/** JSON and next-auth's own small pages: nothing to load, nothing to frame. */
export const API_CONTENT_SECURITY_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/** The headers besides the CSP, on every response. HSTS only over https: browsers ignore it otherwise. */
export function baseSecurityHeaders(options: { https: boolean }): Record<string, string> {
  return {
    'X-Frame-Options': 'DENY',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'strict-origin-when-cross-origin',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=()',
    ...(options.https ? { 'Strict-Transport-Security': 'max-age=63072000; includeSubDomains' } : {}),
  };
}

export interface EdgeRequest {
  method: string;
  pathname: string;
  header(name: string): string | null;
}

/** Over https, at the socket or at the proxy in front. The proxy header is only trusted for HSTS, which is harmless over http. */
export function isHttps(request: EdgeRequest, protocol: string): boolean {
  return protocol === 'https:' || request.header('x-forwarded-proto')?.split(',')[0]?.trim() === 'https';
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Machine-to-machine and signed: a webhook sender is another origin by definition. */
const CROSS_ORIGIN_MUTATIONS = ['/api/webhooks/'];

/**
 * A state-changing request a browser sent from another site (cross-site request
 * forgery), or null when it may go on. Browsers send Origin on every cross-origin
 * POST; a request without one is not from a browser page (the CLI, curl), unless
 * Fetch Metadata says it is cross-site.
 */
export function foreignOriginOf(request: EdgeRequest, ownOrigins: string[]): string | null {
  if (SAFE_METHODS.has(request.method.toUpperCase())) return null;
  if (CROSS_ORIGIN_MUTATIONS.some((prefix) => request.pathname.startsWith(prefix))) return null;
  const origin = request.header('origin');
  if (!origin) return request.header('sec-fetch-site') === 'cross-site' ? 'a cross-site page' : null;
  if (ownOrigins.includes(origin)) return null;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    return origin.slice(0, 100);
  }
  // The Host this request was sent to is the site's own: a page elsewhere cannot choose it.
  const ownHost = request.header('x-forwarded-host')?.split(',')[0]?.trim() || request.header('host');
  return ownHost && host === ownHost ? null : origin.slice(0, 100);
}
