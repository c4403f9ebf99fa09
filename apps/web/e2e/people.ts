import { expect, type Page } from '@playwright/test';

export interface Person {
  name: string;
  email: string;
  password: string;
}

/** A person unique to this run, so the tests also pass against a long-lived app (E2E_BASE_URL). */
export function newPerson(name: string): Person {
  const tag = `${Date.now().toString(36).slice(-4)}${Math.random().toString(36).slice(2, 4)}`;
  return { name, email: `${name.split(' ')[0]!.toLowerCase()}.${tag}@acme.test`, password: 'correct horse battery' };
}

/** Fills the sign-up form the page is on and submits it. */
export async function fillSignUp(page: Page, person: Person) {
  await expect(page.getByRole('heading', { name: 'Create your account' })).toBeVisible();
  await page.getByLabel('Name').fill(person.name);
  await page.getByLabel('Work email').fill(person.email);
  await page.getByLabel('Password').fill(person.password);
  await page.getByRole('button', { name: 'Create account' }).click();
}

/** Fills the sign-in form the page is on and submits it. */
export async function fillSignIn(page: Page, person: Pick<Person, 'email' | 'password'>) {
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await page.getByLabel('Email').fill(person.email);
  await page.getByLabel('Password').fill(person.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}
