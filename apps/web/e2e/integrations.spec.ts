// Settings → Integrations as an owner uses it: generate the GitHub webhook secret (shown
// once), see GitHub's signed delivery accepted and a forged one refused with its reason,
// rotate with an overlap; add an agent secret that is listed by its hint only, then delete it.
import { createHmac } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { fillSignUp, newPerson } from './people.ts';

const sign = (secret: string, body: string) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

test('an owner sets up the GitHub webhook and agent secrets, and sees each delivery’s outcome', async ({ page, request }) => {
  const owner = newPerson('Ines Integrations');
  await page.goto('/signup');
  await fillSignUp(page, owner);
  await page.getByLabel('Organization name').fill('Hook Works');
  await page.getByRole('button', { name: 'Create organization' }).click();
  await expect(page).toHaveURL(/\/o\/[a-z0-9-]+\/fleet$/, { timeout: 20_000 });
  const slug = new URL(page.url()).pathname.split('/')[2]!;

  await page.goto(`/o/${slug}/settings`);
  await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Integrations' }).click();
  await expect(page).toHaveURL(new RegExp(`/o/${slug}/settings/integrations$`));
  const webhook = page.getByTestId('github-webhook');
  await expect(webhook.getByTestId('webhook-secret-status')).toContainText('No secret yet');
  const url = new URL(await page.getByLabel('Webhook URL').inputValue());
  expect(url.pathname).toMatch(/^\/api\/webhooks\/github\/[A-Za-z0-9_-]+$/);

  await page.getByRole('button', { name: 'Generate secret' }).click();
  const secret = await page.getByLabel('New webhook secret').inputValue();
  expect(secret).toMatch(/^pxwh_/);
  await expect(webhook.getByTestId('webhook-secret-status')).toContainText(`…${secret.slice(-4)}`);

  const body = JSON.stringify({ zen: 'Speak like a human.', hook_id: 1 });
  const headers = { 'content-type': 'application/json', 'x-github-event': 'ping', 'x-github-delivery': 'e2e-1' };
  const accepted = await request.post(url.pathname, { headers: { ...headers, 'x-hub-signature-256': sign(secret, body) }, data: body });
  expect(accepted.status()).toBe(200);
  const forged = await request.post(url.pathname, {
    headers: { ...headers, 'x-hub-signature-256': sign('guessed-secret', body) },
    data: body,
  });
  expect(forged.status()).toBe(401);
  // An org id that does not exist answers exactly like a bad signature.
  const unknown = await request.post('/api/webhooks/github/no-such-org', {
    headers: { ...headers, 'x-hub-signature-256': sign(secret, body) },
    data: body,
  });
  expect(unknown.status()).toBe(401);
  expect(await unknown.json()).toEqual(await forged.json());

  // The value is gone once the page is left; the log shows both deliveries.
  await page.reload();
  await expect(page.getByLabel('New webhook secret')).toHaveCount(0);
  await expect(page.locator('body')).not.toContainText(secret);
  const log = page.getByTestId('webhook-deliveries');
  await expect(log.getByRole('row')).toHaveCount(3);
  await expect(log.getByRole('row').nth(1)).toContainText('Refused');
  await expect(log.getByRole('row').nth(1)).toContainText('does not match this organization’s webhook secret');
  await expect(log.getByRole('row').nth(2)).toContainText('Accepted');

  // Rotate with a day of overlap: both secrets verify meanwhile.
  await page.getByLabel('Keep the previous secret valid for').selectOption('24');
  await page.getByRole('button', { name: 'Rotate secret' }).click();
  const rotated = await page.getByLabel('New webhook secret').inputValue();
  expect(rotated).not.toBe(secret);
  await expect(webhook.getByTestId('webhook-secret-status')).toContainText('The previous secret also verifies until');
  for (const s of [secret, rotated])
    expect((await request.post(url.pathname, { headers: { ...headers, 'x-hub-signature-256': sign(s, body) }, data: body })).status()).toBe(
      200,
    );

  // Agent secrets: saved, listed by hint, never shown again, deleted.
  const agents = page.getByTestId('agent-secrets');
  await agents.getByLabel('Variable').fill('anthropic key');
  await agents.getByLabel('Value').fill('sk-ant-e2e-value-WXYZ');
  await agents.getByRole('button', { name: 'Save secret' }).click();
  await expect(agents.getByText(/capital letters/)).toBeVisible();
  await agents.getByLabel('Variable').fill('ANTHROPIC_API_KEY');
  await agents.getByRole('button', { name: 'Save secret' }).click();
  await expect(agents.getByTestId('saved-agent-secret')).toContainText('ANTHROPIC_API_KEY');
  const row = page.getByTestId('agent-secret-ANTHROPIC_API_KEY');
  await expect(row).toContainText('…WXYZ');
  await expect(agents.getByLabel('Value')).toHaveValue('');
  await page.reload();
  await expect(page.locator('body')).not.toContainText('sk-ant-e2e-value');
  await expect(row).toContainText('…WXYZ');
  await row.getByRole('button', { name: 'Delete' }).click();
  await expect(row).toHaveCount(0);
  await expect(agents.getByText('No agent secrets yet.')).toBeVisible();
});
