// Bad input at every procedure: strings PostgreSQL refuses, and sizes past each limit,
// are a BAD_REQUEST naming the field, never a 500 from the database. The router is
// walked (testing/procedures.ts), so a procedure or field added later is covered.
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { useTestDatabase, type DatabaseFixture } from '@parallax/db/test-database';
import { formatBytes, MAX_AGENT_CONFIG_BYTES } from './limits.ts';
import { callerFor, createOrgFixture, idsOf, type OrgFixture } from './testing/fixtures.ts';
import { call, fieldsOf, maxBytesOf, maximumOf, procedures, sampleInput, withValueAt, type Field } from './testing/procedures.ts';

let fx: DatabaseFixture;
let a: OrgFixture;

beforeAll(async () => {
  fx = await useTestDatabase();
  a = await createOrgFixture(fx.db, 'a');
});

const isPublic = (path: string) => path === 'auth.signUp';
const dotted = (f: Field) => f.path.join('.');
const stringFields = (proc: (typeof procedures)[number][1]) => fieldsOf(proc).filter((f) => f.schema._zod.def.type === 'string');

/** Tries `value` in each string field of every procedure, as the owner of org A (anonymously for public ones). */
async function tryEveryStringField(value: string) {
  const member = callerFor(fx.db, a.userId);
  const anonymous = callerFor(fx.db, null);
  const wrong: string[] = [];
  let tried = 0;
  for (const [path, proc] of procedures) {
    for (const field of stringFields(proc)) {
      tried += 1;
      const input = withValueAt(sampleInput(proc, a.orgId, idsOf(a)), field.path, value);
      const result = await call(isPublic(path) ? anonymous : member, path, input);
      if (result.ok || result.code !== 'BAD_REQUEST' || !result.message.startsWith(`${dotted(field)}:`))
        wrong.push(`${path} ${dotted(field)}: ${result.ok ? 'succeeded' : `${result.code} ${result.message}`}`);
    }
  }
  return { wrong, tried };
}

describe('strings PostgreSQL cannot store', () => {
  it('refuses a NUL byte in every string field of every procedure with BAD_REQUEST naming the field', async () => {
    const { wrong, tried } = await tryEveryStringField('nul\u0000value');
    expect(wrong).toEqual([]);
    expect(tried).toBeGreaterThanOrEqual(60);
  });

  it('refuses an unpaired surrogate in every string field the same way', async () => {
    const { wrong } = await tryEveryStringField('half an emoji \uD83D here');
    expect(wrong).toEqual([]);
  });

  it('refuses a NUL in orgId before it is looked up, and in sign-up without a session', async () => {
    const team = await call(callerFor(fx.db, a.userId), 'team.create', { orgId: `${a.orgId}\u0000`, name: 'Ops' });
    expect(team).toMatchObject({ ok: false, code: 'BAD_REQUEST', message: expect.stringMatching(/^orgId: .*NUL/) });
    const signUp = await call(callerFor(fx.db, null), 'auth.signUp', {
      email: 'nul@example.test',
      password: 'correct horse battery staple',
      name: 'nul\u0000name',
    });
    expect(signUp).toMatchObject({ ok: false, code: 'BAD_REQUEST', message: expect.stringMatching(/^name: /) });
  });

  it("refuses a NUL in a key of an agent profile's config, which would go into jsonb", async () => {
    const result = await call(callerFor(fx.db, a.userId), 'agentProfile.create', {
      orgId: a.orgId,
      settings: { name: 'keys', adapter: 'CLAUDE_CODE', config: { 'model\u0000': 'x' } },
    });
    expect(result).toMatchObject({ ok: false, code: 'BAD_REQUEST', message: expect.stringMatching(/^settings\.config\.model/) });
  });
});

describe('size limits', () => {
  it('declares a maximum on every string and array field and a byte bound on every JSON field of every procedure', () => {
    const unbounded: string[] = [];
    for (const [path, proc] of procedures) {
      for (const field of fieldsOf(proc)) {
        const type = field.schema._zod.def.type;
        if ((type === 'string' || type === 'array') && maximumOf(field.declared) === null) unbounded.push(`${path} ${dotted(field)}`);
        if ((type === 'record' || type === 'unknown' || type === 'any') && maxBytesOf(field.declared, z.globalRegistry) === null)
          unbounded.push(`${path} ${dotted(field)} (${type})`);
      }
    }
    expect(unbounded).toEqual([]);
  });

  it('answers one character over each string limit with BAD_REQUEST naming the field and the limit', async () => {
    const member = callerFor(fx.db, a.userId);
    const anonymous = callerFor(fx.db, null);
    const wrong: string[] = [];
    for (const [path, proc] of procedures) {
      for (const field of stringFields(proc)) {
        const max = maximumOf(field.declared) as number;
        const input = withValueAt(sampleInput(proc, a.orgId, idsOf(a)), field.path, tooLong(field, max));
        const result = await call(isPublic(path) ? anonymous : member, path, input);
        const says = !result.ok && result.message.startsWith(`${dotted(field)}:`) && namesLimit(result.message, max);
        if (result.ok || result.code !== 'BAD_REQUEST' || !says)
          wrong.push(`${path} ${dotted(field)} (max ${max}): ${result.ok ? 'succeeded' : `${result.code} ${result.message}`}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it(`refuses an agent profile config over ${formatBytes(MAX_AGENT_CONFIG_BYTES)} and says the limit; one under it is kept`, async () => {
    const member = callerFor(fx.db, a.userId);
    const settings = (bytes: number, name: string) => ({ name, adapter: 'CLAUDE_CODE', config: { notes: 'x'.repeat(bytes) } });
    const tooBig = await call(member, 'agentProfile.create', { orgId: a.orgId, settings: settings(MAX_AGENT_CONFIG_BYTES, 'big') });
    expect(tooBig).toMatchObject({
      ok: false,
      code: 'BAD_REQUEST',
      message: expect.stringContaining('settings.config: Keep this under 64 KiB'),
    });
    const fits = await call(member, 'agentProfile.create', { orgId: a.orgId, settings: settings(MAX_AGENT_CONFIG_BYTES - 100, 'fits') });
    expect(fits.ok).toBe(true);
    const tooBigUpdate = await call(member, 'agentProfile.update', {
      orgId: a.orgId,
      agentProfileId: a.agentProfileId,
      settings: settings(10 * MAX_AGENT_CONFIG_BYTES, 'bigger'),
    });
    expect(tooBigUpdate).toMatchObject({ ok: false, code: 'BAD_REQUEST' });
  });
});

/** A value one over `max` that passes every other rule of its field, so only the limit can refuse it. */
function tooLong(field: Field, max: number): string {
  if (field.path.at(-1) === 'email') return `${'a'.repeat(60)}@${`${'b'.repeat(60)}.`.repeat(Math.ceil(max / 61))}test`;
  // A field with a format (capitals only, say): the letter its own schema takes at full length.
  const schema = field.schema as unknown as z.ZodType;
  const fill = ['x', 'X'].find((c) => schema.safeParse(c.repeat(max)).success) ?? 'x';
  return fill.repeat(max + 1);
}

/** The message says the limit: as a number (16384, 16,384) or, for whole kibibytes, as 16 KB / 16 KiB. */
function namesLimit(message: string, max: number): boolean {
  if (message.replaceAll(/[,_ ]/g, '').includes(String(max))) return true;
  return max % 1024 === 0 && new RegExp(`\\b${max / 1024} ?Ki?B\\b`).test(message);
}
