import { expect, test } from '@playwright/test';
import { fillSignIn, fillSignUp, newPerson } from './people.ts';

test('a signed-out visit to an org page lands on the sign-in page and remembers where it was going', async ({ page }) => {
  await page.goto('/o/some-org/settings/members');
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fo%2Fsome-org%2Fsettings%2Fmembers$/);
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
});

test('a signed-in visitor sees another org’s pages as not found', async ({ page }) => {
  await page.goto('/signup');
  await fillSignUp(page, newPerson('Outsider Olga'));
  await expect(page).toHaveURL(/\/orgs\/new$/);
  // "demo" is the seeded org; an org that does not exist looks the same.
  const response = await page.goto('/o/demo/settings/members');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  await expect(page.getByText('Members')).toHaveCount(0);
});

test('a wrong password shows a message and keeps the visitor on the sign-in page', async ({ page }) => {
  await page.goto('/signin');
  await fillSignIn(page, { email: newPerson('Nobody').email, password: 'not the password' });
  await expect(page.getByText('The email or password is incorrect.')).toBeVisible();
  await expect(page).toHaveURL(/\/signin$/);
});

test('an empty sign-in form names the missing fields', async ({ page }) => {
  await page.goto('/signin');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByText('Enter your email address.')).toBeVisible();
  await expect(page.getByText('Enter your password.')).toBeVisible();
});

test('sign-up shows the server’s field errors next to the fields', async ({ page }) => {
  await page.goto('/signup');
  await page.getByLabel('Name').fill('Short Password');
  await page.getByLabel('Work email').fill('not-an-email');
  await page.getByLabel('Password').fill('short');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.locator('#email-error')).toHaveText('Enter a valid email address');
  await expect(page.locator('#password-error')).toHaveText('Use at least 10 characters');
});

test('repeated wrong passwords for one email are slowed down with a clear message', async ({ page }) => {
  const email = newPerson('Mallory').email;
  await page.goto('/signin');
  // Five free failures per address and email, then delays that double (@parallax/auth SIGN_IN_PER_PAIR).
  for (let attempt = 1; attempt <= 5; attempt++) {
    await fillSignIn(page, { email, password: `wrong password ${attempt}` });
    await expect(page.getByText('The email or password is incorrect.')).toBeVisible();
  }
  // The first delay is a second: a slow machine may spend it filling the form, so try until one lands inside a delay.
  await expect(async () => {
    await fillSignIn(page, { email, password: 'wrong password again' });
    await expect(page.getByText(/^Too many failed sign-ins\. Try again in \d+ seconds?\.$/)).toBeVisible({ timeout: 3_000 });
  }).toPass({ timeout: 30_000 });
});
