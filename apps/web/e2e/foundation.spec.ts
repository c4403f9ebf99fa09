// The Foundation user path: an owner signs up, signs in, creates an org and a team,
// invites a colleague who joins from their own browser, gives them a role and puts
// them on the team.
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { fillSignIn, fillSignUp, newPerson } from './people.ts';

const SHELL_SCREENSHOT = path.resolve(__dirname, '../../../docs/screenshots/shell.png');

test('an owner builds an org and a colleague joins it through an invite', async ({ page, browser, baseURL }) => {
  const owner = newPerson('Olivia Owner');
  const colleague = newPerson('Devon Developer');
  // Against a long-lived app the server gives a second "Acme Robotics" its own URL.
  const orgName = 'Acme Robotics';

  await test.step('the owner signs up and lands on "create your organization"', async () => {
    await page.goto('/signup');
    await fillSignUp(page, owner);
    await expect(page).toHaveURL(/\/orgs\/new$/);
    await expect(page.getByRole('heading', { name: 'Create your organization' })).toBeVisible();
  });

  await test.step('signs out and signs in again', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/signin/);
    await fillSignIn(page, owner);
    await expect(page).toHaveURL(/\/orgs\/new$/);
  });

  let slug = '';
  await test.step('creates an organization and arrives in its shell', async () => {
    await page.getByLabel('Organization name').fill(orgName);
    await page.getByRole('button', { name: 'Create organization' }).click();
    await expect(page).toHaveURL(/\/o\/[a-z0-9-]+\/fleet$/, { timeout: 20_000 });
    slug = new URL(page.url()).pathname.split('/')[2]!;
    await expect(page.getByRole('heading', { name: 'Fleet' })).toBeVisible();
    await expect(page.getByText('No agent sessions are running')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Switch organization' })).toContainText(orgName);
  });

  await test.step('creates a team', async () => {
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Teams' }).click();
    await page.getByLabel('New team').fill('Platform');
    await page.getByRole('button', { name: 'Create team' }).click();
    await expect(page.getByRole('region', { name: 'Team Platform' })).toBeVisible();
  });

  let inviteLink = '';
  await test.step('creates an invite link', async () => {
    await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Members' }).click();
    await expect(page.getByTestId(`member-${owner.email}`)).toContainText('(you)');
    await page.getByLabel('Role', { exact: true }).selectOption('DEVELOPER');
    await page.getByRole('button', { name: 'Create invite link' }).click();
    inviteLink = await page.getByLabel('Invite link').inputValue();
    expect(inviteLink).toMatch(new RegExp(`^${baseURL}/invite/inv_`));
    await expect(page.getByText('Anyone with the link', { exact: true })).toBeVisible();
  });

  await test.step('the colleague opens the link in their own browser, signs up and joins', async () => {
    const context = await browser.newContext();
    const other = await context.newPage();
    await other.goto(inviteLink);
    await expect(other).toHaveURL(/\/signin\?callbackUrl=%2Finvite%2F/);
    await expect(other.getByText('to accept your invitation')).toBeVisible();
    await other.getByRole('link', { name: 'Create an account' }).click();
    await fillSignUp(other, colleague);
    await expect(other.getByRole('heading', { name: `Join ${orgName}` })).toBeVisible();
    await other.getByRole('button', { name: 'Accept invitation' }).click();
    await expect(other).toHaveURL(new RegExp(`/o/${slug}/fleet$`));
    await expect(other.getByRole('button', { name: 'Switch organization' })).toContainText('Developer');
    await context.close();
  });

  await test.step('the owner makes the colleague a lead', async () => {
    await page.reload();
    const row = page.getByTestId(`member-${colleague.email}`);
    await expect(row).toContainText(colleague.name);
    await row.getByLabel(`Role of ${colleague.name}`).selectOption('LEAD');
    await expect(row.getByLabel(`Role of ${colleague.name}`)).toHaveValue('LEAD');
    await page.reload();
    await expect(page.getByTestId(`member-${colleague.email}`).getByLabel(`Role of ${colleague.name}`)).toHaveValue('LEAD');
    // The accepted invite no longer counts as pending.
    await expect(page.getByText('No pending invites.')).toBeVisible();
  });

  await test.step('puts the colleague on the team and sees them there', async () => {
    await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Teams' }).click();
    const team = page.getByRole('region', { name: 'Team Platform' });
    await team.getByLabel('Add a member to Platform').selectOption({ label: `${colleague.name} (${colleague.email})` });
    await team.getByRole('button', { name: 'Add to team' }).click();
    await expect(team.getByRole('row').filter({ hasText: colleague.email })).toBeVisible();
    await expect(team).toContainText('1 member');
  });

  await test.step('the members page shows the team and the role; screenshot of the shell', async () => {
    await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Members' }).click();
    const row = page.getByTestId(`member-${colleague.email}`);
    await expect(row).toContainText('Platform');
    await expect(row.getByLabel(`Role of ${colleague.name}`)).toHaveValue('LEAD');
    await page.screenshot({ path: SHELL_SCREENSHOT, fullPage: true });
  });
});
