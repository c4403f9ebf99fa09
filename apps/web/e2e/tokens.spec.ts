// An API token made in the web app works for the REST API and the real `plx` CLI,
// names only its own org, and stops working the moment it is revoked.
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from '@playwright/test';
import { fillSignUp, newPerson } from './people.ts';

const run = promisify(execFile);
const PLX = path.resolve(__dirname, '../../cli/bin/plx.mjs');

test('a token from Settings signs the CLI in, and revoking it locks the CLI out', async ({ page, request, baseURL }) => {
  const owner = newPerson('Tara Tokens');
  await page.goto('/signup');
  await fillSignUp(page, owner);
  await page.getByLabel('Organization name').fill('Token Works');
  await page.getByRole('button', { name: 'Create organization' }).click();
  await expect(page).toHaveURL(/\/o\/[a-z0-9-]+\/fleet$/, { timeout: 20_000 });
  const slug = new URL(page.url()).pathname.split('/')[2]!;

  await page.goto(`/o/${slug}/settings/tokens`);
  await page.getByLabel('Name').fill('laptop CLI');
  await page.getByRole('button', { name: 'Create token' }).click();
  const token = await page.getByLabel('New API token').inputValue();
  expect(token).toMatch(/^plx_/);

  const me = await request.get('/api/v1/me', { headers: { Authorization: `Bearer ${token}` } });
  expect(me.status()).toBe(200);
  expect(await me.json()).toMatchObject({ user: { email: owner.email }, org: { slug, name: 'Token Works' } });
  expect((await request.get('/api/v1/me', { headers: { Authorization: 'Bearer plx_not-a-token' } })).status()).toBe(401);
  expect((await request.get('/api/v1/me', { headers: { Authorization: 'Basic abc' } })).status()).toBe(400);
  expect((await request.get('/api/v1/me')).status()).toBe(401);

  const env = { ...process.env, XDG_CONFIG_HOME: mkdtempSync(path.join(os.tmpdir(), 'plx-e2e-')), PLX_TOKEN: '', PLX_URL: '' };
  const login = await run(process.execPath, [PLX, 'login', '--url', baseURL!, '--token', token], { env });
  expect(login.stdout).toContain(owner.email);
  const whoami = await run(process.execPath, [PLX, 'whoami'], { env });
  expect(whoami.stdout).toContain(`org:    Token Works (${slug})`);

  await page.getByRole('button', { name: 'Revoke' }).click();
  await expect(page.getByText('Revoked')).toBeVisible();
  expect((await request.get('/api/v1/me', { headers: { Authorization: `Bearer ${token}` } })).status()).toBe(401);
  const refused = await run(process.execPath, [PLX, 'whoami'], { env }).catch((error: { code: number; stderr: string }) => error);
  expect(refused).toMatchObject({ code: 1 });
  expect((refused as { stderr: string }).stderr).toMatch(/revoked or expired/);
});
