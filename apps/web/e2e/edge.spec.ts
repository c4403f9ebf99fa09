// The web edge as a browser and a penetration tester meet it: security headers on
// every response, a nonce CSP the pages live with, no framing by another site, and
// state-changing requests from another site refused.
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, type Page, test } from '@playwright/test';
import { fillSignUp, newPerson } from './people.ts';

const FOREIGN = 'http://foreign.test';

function expectSecurityHeaders(headers: Record<string, string>, what: string) {
  expect(headers['content-security-policy'], what).toContain("frame-ancestors 'none'");
  expect(headers['x-frame-options'], what).toBe('DENY');
  expect(headers['x-content-type-options'], what).toBe('nosniff');
  expect(headers['referrer-policy'], what).toBe('strict-origin-when-cross-origin');
  expect(headers['strict-transport-security'], `${what} over http`).toBeUndefined();
}

/** Collects CSP violations and CSP console errors of a page, from before its first script runs. */
async function watchCsp(page: Page): Promise<string[]> {
  const violations: string[] = [];
  await page.exposeFunction('reportCspViolation', (text: string) => violations.push(text));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) =>
      (window as unknown as { reportCspViolation(t: string): void }).reportCspViolation(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  return violations;
}

/** A plain HTTP request from a chosen loopback address, as a client elsewhere would send it. */
function fromAddress(
  localAddress: string,
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: options.method ?? 'GET', headers: options.headers, localAddress }, (res) => {
      let body = '';
      res.on('data', (chunk) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

const cookiesOf = (setCookie: string | string[] | undefined) => [setCookie ?? []].flat().map((c) => c.split(';')[0]!);

/** Signs in through next-auth's own endpoints from `localAddress`; the error code or message, and the cookies. */
async function signInFrom(localAddress: string, base: string, person: { email: string; password: string }, forwardedFor: string) {
  const csrf = await fromAddress(localAddress, `${base}/api/auth/csrf`);
  const cookies = cookiesOf(csrf.headers['set-cookie']);
  const { csrfToken } = JSON.parse(csrf.body) as { csrfToken: string };
  const response = await fromAddress(localAddress, `${base}/api/auth/callback/credentials`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      cookie: cookies.join('; '),
      origin: base,
      'x-forwarded-for': forwardedFor,
    },
    body: new URLSearchParams({ csrfToken, email: person.email, password: person.password, json: 'true' }).toString(),
  });
  const { url } = JSON.parse(response.body) as { url: string };
  return { error: new URL(url).searchParams.get('error'), cookies: [...cookies, ...cookiesOf(response.headers['set-cookie'])] };
}

test('every page, redirect and API response carries the security headers', async ({ request }) => {
  for (const path of [
    '/signin',
    '/signup',
    '/',
    '/o/some-org/fleet',
    '/api/health',
    '/api/trpc/viewer.me',
    '/api/auth/csrf',
    '/no-such-page',
  ]) {
    const response = await request.get(path, { maxRedirects: 0 });
    expectSecurityHeaders(response.headers(), path);
  }
  const page = await request.get('/signin');
  expect(page.headers()['content-security-policy']).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  const viaHttps = await request.get('/signin', { headers: { 'x-forwarded-proto': 'https' } });
  expect(viaHttps.headers()['strict-transport-security']).toMatch(/^max-age=\d+/);
});

test('each page gets its own nonce, and Next.js puts it on its scripts', async ({ request }) => {
  const nonces: string[] = [];
  for (let i = 0; i < 2; i++) {
    const response = await request.get('/signin');
    const nonce = /'nonce-([^']+)'/.exec(response.headers()['content-security-policy'] ?? '')?.[1];
    expect(nonce).toBeTruthy();
    expect(await response.text()).toContain(`nonce="${nonce}"`);
    nonces.push(nonce!);
  }
  expect(nonces[0]).not.toBe(nonces[1]);
});

test('a page of ours framed by another site is refused, while a frame of its own loads', async ({ page, baseURL }) => {
  // The other site is a real server on this machine: Chromium keeps public pages from
  // framing local ones anyway, which would hide what our own headers do.
  const other = createServer((req, res) => {
    res.setHeader('content-type', 'text/html');
    res.end(
      req.url === '/own'
        ? '<h1>Foreign content</h1>'
        : `<iframe id="ours" src="${baseURL}/signin"></iframe><iframe id="own" src="/own"></iframe>`,
    );
  });
  await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
  const { port } = other.address() as AddressInfo;
  const refusals: string[] = [];
  page.on('console', (message) => {
    if (/frame-ancestors|X-Frame-Options/i.test(message.text())) refusals.push(message.text());
  });
  try {
    await page.goto(`http://127.0.0.1:${port}/attack`);
    // The control: a frame that may load does, so the harness would see ours if it loaded.
    await expect(page.frameLocator('#own').getByRole('heading', { name: 'Foreign content' })).toBeVisible();
    await expect.poll(() => refusals.length, { timeout: 10_000 }).toBeGreaterThan(0);
    await expect(page.frameLocator('#ours').getByRole('heading', { name: 'Sign in' })).toHaveCount(0);
  } finally {
    other.close();
  }
});

test('state-changing requests from another site are refused before they reach the app', async ({ request, baseURL }) => {
  const person = newPerson('Cross Site');
  const body = { json: { email: person.email, password: person.password, name: person.name } };
  const foreign = await request.post('/api/trpc/auth.signUp', { headers: { origin: FOREIGN }, data: body });
  expect(foreign.status()).toBe(403);
  expect((await foreign.json()).error).toContain(FOREIGN);
  expect((await request.post('/api/auth/signout', { headers: { origin: FOREIGN }, form: { csrfToken: 'x' } })).status()).toBe(403);
  expect((await request.post('/api/trpc/auth.signUp', { headers: { origin: 'null' }, data: body })).status()).toBe(403);

  // The account was not created: signing up again from our own origin succeeds.
  const same = await request.post('/api/trpc/auth.signUp', { headers: { origin: baseURL! }, data: body });
  expect(same.status()).toBe(200);
  // Signed webhooks come from other origins by nature: they get their own answer, not the edge's 403.
  const webhook = await request.post('/api/webhooks/github/no-such-org', { headers: { origin: 'https://github.com' }, data: {} });
  expect(webhook.status()).not.toBe(403);
});

test('the pages a new owner walks through raise no CSP violation and still work', async ({ page }) => {
  const violations = await watchCsp(page);
  await page.goto('/signup');
  await fillSignUp(page, newPerson('Strict Policy'));
  await expect(page).toHaveURL(/\/orgs\/new$/);
  // The name field is controlled: typed before hydration, React would put back its empty state.
  await page.waitForLoadState('networkidle');
  await page.getByLabel('Organization name').fill('Policy Works');
  await page.getByRole('button', { name: 'Create organization' }).click();
  await expect(page).toHaveURL(/\/o\/[a-z0-9-]+\/fleet$/, { timeout: 20_000 });
  const settings = page.getByRole('navigation', { name: 'Settings' });
  await page.getByRole('link', { name: 'Settings' }).click();
  for (const tab of ['Members', 'Teams', 'Repositories', 'Agents', 'SLA', 'Schedules', 'API tokens', 'Security', 'General']) {
    await settings.getByRole('link', { name: tab, exact: true }).click();
    await expect(settings.getByRole('link', { name: tab, exact: true })).toHaveAttribute('aria-current', 'page');
  }
  const slug = new URL(page.url()).pathname.split('/')[2]!;
  const sections: [string, string][] = [
    ['fleet', 'Fleet'],
    ['dispatch', 'Dispatch'],
    ['evidence', 'Evidence'],
    ['parallel', 'Parallel sessions'],
    ['variance', 'Variance'],
    ['reports', 'Maturity report'],
    ['exports', 'Exports'],
  ];
  for (const [path, heading] of sections) {
    await page.goto(`/o/${slug}/${path}`);
    await expect(page.getByRole('heading', { name: heading, level: 1 })).toBeVisible();
  }
  await page.goto('/no-such-page');
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  expect(violations).toEqual([]);
});

test('rate limits and the session list see the socket’s address, whatever X-Forwarded-For claims', async ({ request, baseURL }) => {
  const person = newPerson('Spoof Target');
  const signUp = await request.post('/api/trpc/auth.signUp', {
    headers: { origin: baseURL! },
    data: { json: { email: person.email, password: person.password, name: person.name } },
  });
  expect(signUp.status()).toBe(200);
  // Loopback has a whole /8: each 127.0.0.x below is a different client to the server.
  const base = baseURL!.replace('localhost', '127.0.0.1');

  const signedIn = await signInFrom('127.0.0.7', base, person, '198.51.100.1');
  expect(signedIn.error).toBeNull();
  const sessions = await fromAddress('127.0.0.7', `${base}/api/trpc/security.listSessions`, {
    headers: { cookie: signedIn.cookies.join('; ') },
  });
  expect(sessions.status).toBe(200);
  expect(sessions.body).toContain('"ipAddress":"127.0.0.7"');
  expect(sessions.body).not.toContain('198.51.100.1');

  // An attacker sending a new X-Forwarded-For with every guess still meets the delay of its real address…
  const errors: (string | null)[] = [];
  for (let guess = 1; guess <= 10 && !errors.at(-1)?.startsWith('Too many'); guess++) {
    errors.push((await signInFrom('127.0.0.8', base, { email: person.email, password: `guess ${guess}` }, `203.0.113.${guess}`)).error);
  }
  expect(errors.slice(0, 5)).toEqual(Array(5).fill('CredentialsSignin'));
  expect(errors.at(-1)).toMatch(/^Too many failed sign-ins\. Try again in \d+ seconds?\.$/);
  // …while the owner, from an address of their own, signs in at once.
  expect((await signInFrom('127.0.0.9', base, person, '203.0.113.200')).error).toBeNull();
});
