// The edge of every request but static files: security headers and a per-request CSP
// nonce on every response, cross-site mutations refused, and pages that need a session
// sent to the sign-in page when theirs has ended. The pages and API still check the
// session themselves; this is the first line, not the only one.
import { type NextRequest, NextResponse } from 'next/server';
import { readBrowserSession } from '~/server/auth.ts';
import {
  API_CONTENT_SECURITY_POLICY,
  baseSecurityHeaders,
  type EdgeRequest,
  foreignOriginOf,
  isHttps,
  pageContentSecurityPolicy,
} from '~/server/security-headers.ts';

const PUBLIC_PAGES = /^\/(?:signin|signup|invite\/)/;
const SESSION_COOKIE = /^(?:__Secure-)?next-auth\.session-token/;

function ownOrigins(): string[] {
  const configured = process.env.NEXTAUTH_URL;
  if (!configured) return [];
  try {
    return [new URL(configured).origin];
  } catch {
    return [];
  }
}

function withHeaders(response: NextResponse, headers: Record<string, string>): NextResponse {
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

export async function proxy(request: NextRequest) {
  const { pathname } = request.nextUrl;
  const edge: EdgeRequest = { method: request.method, pathname, header: (name) => request.headers.get(name) };
  const https = isHttps(edge, request.nextUrl.protocol);
  const isApi = pathname.startsWith('/api/');
  const nonce = Buffer.from(crypto.randomUUID()).toString('base64');
  const csp = isApi
    ? API_CONTENT_SECURITY_POLICY
    : pageContentSecurityPolicy(nonce, { dev: process.env.NODE_ENV === 'development', https });
  const headers = { ...baseSecurityHeaders({ https }), 'Content-Security-Policy': csp };

  const foreign = foreignOriginOf(edge, ownOrigins());
  if (foreign) {
    return withHeaders(
      NextResponse.json({ error: `Refused: this request was sent from another site (${foreign}).` }, { status: 403 }),
      headers,
    );
  }

  if (!isApi && !PUBLIC_PAGES.test(pathname) && !(await readBrowserSession({ cookies: request.cookies }))) {
    const signIn = new URL('/signin', request.url);
    if (pathname !== '/') signIn.searchParams.set('callbackUrl', pathname + request.nextUrl.search);
    const response = NextResponse.redirect(signIn);
    // A cookie whose session has ended is worth nothing: drop it rather than carry it around.
    for (const cookie of request.cookies.getAll()) if (SESSION_COOKIE.test(cookie.name)) response.cookies.delete(cookie.name);
    return withHeaders(response, headers);
  }

  // Next.js takes the nonce for its own scripts from the request's CSP header.
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('content-security-policy', csp);
  return withHeaders(NextResponse.next({ request: { headers: requestHeaders } }), headers);
}

export const config = {
  // Everything but Next's static assets and the public files beside them (those get next.config.ts's headers).
  matcher: ['/((?!_next/static|_next/image|.*\\.(?:ico|svg|png|txt|webmanifest)$).*)'],
};
