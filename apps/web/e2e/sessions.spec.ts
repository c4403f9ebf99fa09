// Browser sessions that end when they should: a signed-out cookie is worth nothing,
// Settings → Security lists where you are signed in and ends a session, and a new
// password signs every other browser out.
import { type Browser, type BrowserContext, expect, type Page, test } from '@playwright/test';
import { fillSignIn, fillSignUp, newPerson, type Person } from './people.ts';

async function signUpWithOrg(page: Page, person: Person, orgName: string): Promise<string> {
  await page.goto('/signup');
  await fillSignUp(page, person);
  await expect(page).toHaveURL(/\/orgs\/new$/);
  // The name field is controlled: typed before hydration, React would put back its empty state.
  await page.waitForLoadState('networkidle');
  await page.getByLabel('Organization name').fill(orgName);
  await page.getByRole('button', { name: 'Create organization' }).click();
  await expect(page).toHaveURL(/\/o\/[a-z0-9-]+\/fleet$/, { timeout: 20_000 });
  return new URL(page.url()).pathname.split('/')[2]!;
}

async function signInElsewhere(browser: Browser, person: Pick<Person, 'email' | 'password'>, slug: string) {
  const context = await browser.newContext({ userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0' });
  const page = await context.newPage();
  await page.goto(`/signin?callbackUrl=${encodeURIComponent(`/o/${slug}/fleet`)}`);
  await fillSignIn(page, person);
  await expect(page).toHaveURL(new RegExp(`/o/${slug}/fleet$`), { timeout: 20_000 });
  return { context, page };
}

async function viewerMeStatus(context: BrowserContext): Promise<number> {
  return (await context.request.get('/api/trpc/viewer.me')).status();
}

test('after signing out, the old session cookie no longer answers', async ({ page, browser }) => {
  const person = newPerson('Sam Signout');
  await page.goto('/signup');
  await fillSignUp(page, person);
  await expect(page).toHaveURL(/\/orgs\/new$/);
  const stolen = await page.context().storageState();
  expect(await viewerMeStatus(page.context())).toBe(200);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/signin/);

  // Someone who copied the cookie before the sign-out replays it.
  const thief = await browser.newContext({ storageState: stolen });
  expect(await viewerMeStatus(thief)).toBe(401);
  const thiefPage = await thief.newPage();
  await thiefPage.goto('/orgs/new');
  await expect(thiefPage).toHaveURL(/\/signin\?callbackUrl=%2Forgs%2Fnew$/);
  await thief.close();
});

test('Settings → Security lists where you are signed in and ends another session', async ({ page, browser }) => {
  const person = newPerson('Lee Laptop');
  const slug = await signUpWithOrg(page, person, 'Session Works');
  const phone = await signInElsewhere(browser, person, slug);

  await page.goto(`/o/${slug}/settings/security`);
  const rows = page.getByTestId('browser-session');
  await expect(rows).toHaveCount(2);
  const current = rows.filter({ hasText: 'This browser' });
  await expect(current).toHaveCount(1);
  await expect(current).toContainText('Chrome on Windows');
  const other = rows.filter({ hasText: 'Firefox on Linux' });
  await expect(other).toContainText(/127\.0\.0\.1|::1/);
  await other.getByRole('button', { name: 'End session' }).click();
  await expect(rows).toHaveCount(1);

  // The other browser is signed out on its very next request.
  expect(await viewerMeStatus(phone.context)).toBe(401);
  await phone.page.reload();
  await expect(phone.page).toHaveURL(/\/signin\?callbackUrl=/);
  await phone.context.close();
  expect(await viewerMeStatus(page.context())).toBe(200);
});

test('a new password signs every other browser out, and only the new password signs in', async ({ page, browser }) => {
  const person = newPerson('Pat Password');
  const slug = await signUpWithOrg(page, person, 'Password Works');
  const other = await signInElsewhere(browser, person, slug);

  await page.goto(`/o/${slug}/settings/security`);
  await page.getByLabel('Current password').fill('not my password');
  await page.getByLabel('New password').fill('a much better passphrase');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByText('The current password is incorrect.')).toBeVisible();
  expect(await viewerMeStatus(other.context)).toBe(200);

  await page.getByLabel('Current password').fill(person.password);
  await page.getByLabel('New password').fill('short');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.locator('#new-password-error')).toHaveText('Use at least 10 characters');

  await page.getByLabel('New password').fill('a much better passphrase');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByText('Your password was changed. 1 other session was ended.')).toBeVisible();
  await expect(page.getByTestId('browser-session')).toHaveCount(1);
  expect(await viewerMeStatus(other.context)).toBe(401);
  expect(await viewerMeStatus(page.context())).toBe(200);
  await other.context.close();

  const fresh = await browser.newContext();
  const freshPage = await fresh.newPage();
  await freshPage.goto('/signin');
  await fillSignIn(freshPage, person);
  await expect(freshPage.getByText('The email or password is incorrect.')).toBeVisible();
  await fillSignIn(freshPage, { email: person.email, password: 'a much better passphrase' });
  await expect(freshPage).toHaveURL(new RegExp(`/o/${slug}/`), { timeout: 20_000 });
  await fresh.close();
});
