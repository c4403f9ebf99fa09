import { describe, expect, it } from 'vitest';
import { baseSecurityHeaders, foreignOriginOf, isHttps, pageContentSecurityPolicy, type EdgeRequest } from './security-headers.ts';

function request(method: string, pathname: string, headers: Record<string, string>): EdgeRequest {
  return { method, pathname, header: (name) => headers[name] ?? null };
}

const own = ['https://parallax.example'];

describe('the edge refuses mutations from other sites', () => {
  it('refuses a POST whose Origin is another site', () => {
    expect(foreignOriginOf(request('POST', '/api/trpc/team.create', { origin: 'https://evil.test', host: 'parallax.example' }), own)).toBe(
      'https://evil.test',
    );
  });

  it('lets same-origin POSTs through, by configured origin or by the Host they were sent to', () => {
    expect(
      foreignOriginOf(request('POST', '/api/trpc/team.create', { origin: 'https://parallax.example', host: 'internal:3000' }), own),
    ).toBeNull();
    expect(
      foreignOriginOf(request('POST', '/api/auth/signout', { origin: 'http://localhost:3220', host: 'localhost:3220' }), own),
    ).toBeNull();
    expect(
      foreignOriginOf(
        request('POST', '/api/trpc/x', { origin: 'https://app.example', host: '10.0.0.5', 'x-forwarded-host': 'app.example' }),
        own,
      ),
    ).toBeNull();
  });

  it('refuses the opaque "null" origin of sandboxed frames and a cross-site POST without Origin', () => {
    expect(foreignOriginOf(request('POST', '/api/trpc/x', { origin: 'null', host: 'parallax.example' }), own)).toBe('null');
    expect(foreignOriginOf(request('DELETE', '/api/x', { 'sec-fetch-site': 'cross-site', host: 'parallax.example' }), own)).toBe(
      'a cross-site page',
    );
  });

  it('leaves reads, clients without a browser, and signed webhooks alone', () => {
    expect(
      foreignOriginOf(request('GET', '/api/trpc/viewer.me', { origin: 'https://evil.test', host: 'parallax.example' }), own),
    ).toBeNull();
    expect(foreignOriginOf(request('POST', '/api/trpc/x', { host: 'parallax.example' }), own)).toBeNull();
    expect(
      foreignOriginOf(request('POST', '/api/webhooks/github/org1', { origin: 'https://github.com', host: 'parallax.example' }), own),
    ).toBeNull();
  });

  it('does not take a host that merely starts like ours', () => {
    expect(foreignOriginOf(request('PUT', '/api/x', { origin: 'https://parallax.example.evil.test', host: 'parallax.example' }), own)).toBe(
      'https://parallax.example.evil.test',
    );
  });
});

describe('security headers', () => {
  it('gives pages a nonce policy that forbids framing and plugins', () => {
    const csp = pageContentSecurityPolicy('abc123');
    expect(csp).toContain("script-src 'self' 'nonce-abc123' 'strict-dynamic'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(pageContentSecurityPolicy('n', { dev: true, https: true })).toMatch(/'unsafe-eval'.*upgrade-insecure-requests/);
  });

  it('sends HSTS only over https', () => {
    expect(baseSecurityHeaders({ https: false })).not.toHaveProperty('Strict-Transport-Security');
    expect(baseSecurityHeaders({ https: true })['Strict-Transport-Security']).toMatch(/^max-age=\d+/);
    expect(baseSecurityHeaders({ https: false })).toMatchObject({ 'X-Frame-Options': 'DENY', 'X-Content-Type-Options': 'nosniff' });
  });

  it('knows https from the socket or from the proxy in front', () => {
    expect(isHttps(request('GET', '/', {}), 'https:')).toBe(true);
    expect(isHttps(request('GET', '/', { 'x-forwarded-proto': 'https' }), 'http:')).toBe(true);
    expect(isHttps(request('GET', '/', {}), 'http:')).toBe(false);
  });
});
