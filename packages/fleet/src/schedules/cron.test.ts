import { describe, expect, it } from 'vitest';
import { checkCron, ZCron } from './cron.ts';

const message = (expression: string) => {
  const checked = checkCron(expression);
  if (checked.ok) throw new Error(`expected "${expression}" to be refused, got ${checked.cron}`);
  return checked.message;
};

describe('checkCron', () => {
  it.each([
    ['*/15 * * * *'],
    ['0 9 * * 1-5'],
    ['30 2 1 * *'],
    ['0 0 * * 0'],
    ['0 0 * * 7'],
    ['0 9 * * MON-FRI'],
    ['0 9 * * mon,wed,fri'],
    ['0 12 * JAN,jul *'],
    ['0 12 * january *'],
    ['5/20 8-18/2 * * *'],
    ['0 0 29 2 *'],
    ['0 0 */2 * 1'],
  ])('accepts %s', (expression) => {
    expect(checkCron(expression)).toEqual({ ok: true, cron: expression });
  });

  it('normalizes whitespace and spells out the shorthands', () => {
    expect(checkCron('  0   9 * *\t1-5 ')).toEqual({ ok: true, cron: '0 9 * * 1-5' });
    expect(checkCron('@daily')).toEqual({ ok: true, cron: '0 0 * * *' });
    expect(checkCron('@HOURLY')).toEqual({ ok: true, cron: '0 * * * *' });
    expect(checkCron('@weekly')).toEqual({ ok: true, cron: '0 0 * * 0' });
  });

  it('asks for five fields and says how many it got', () => {
    expect(message('')).toMatch(/Give a cron expression/);
    expect(message('0 9 * *')).toMatch(/five fields.*has 4/);
    expect(message('0 0 9 * * 1-5')).toMatch(/has 6/);
    expect(message('@every 5m')).toMatch(/five fields/);
  });

  it('names the field that is out of range', () => {
    expect(message('60 * * * *')).toBe('The minute must be between 0 and 59 (got 60).');
    expect(message('0 24 * * *')).toBe('The hour must be between 0 and 23 (got 24).');
    expect(message('0 0 0 * *')).toBe('The day of the month must be between 1 and 31 (got 0).');
    expect(message('0 0 * 13 *')).toBe('The month must be between 1 and 12 (got 13).');
    expect(message('0 0 * * 8')).toBe('The day of the week must be between 0 and 7 (got 8).');
  });

  it('refuses malformed fields, bad names, zero steps and backward ranges', () => {
    expect(message('abc * * * *')).toMatch(/"abc" is not a minute/);
    expect(message('0 9 * * XYZ')).toMatch(/"XYZ" is not a day of the week.*MON/);
    expect(message('0 9 * * MO')).toMatch(/not a day of the week/);
    expect(message('0 9 * FOO *')).toMatch(/not a month.*JAN/);
    expect(message('*/0 * * * *')).toBe('The step in the minute must be between 1 and 59.');
    expect(message('0 5-1 * * *')).toMatch(/range 5-1 in the hour runs backwards/);
    expect(message('0 9 ? * 1')).toMatch(/The day of the month "\?" is not valid/);
    expect(message('0 9 * * 1#2')).toMatch(/not valid/);
    expect(message('0 9 L * *')).toMatch(/not a day of the month/);
    expect(message('1,,2 * * * *')).toMatch(/not valid/);
  });

  it('refuses restricting both day fields, which Temporal would AND where classic cron ORs', () => {
    expect(message('0 9 1 * MON')).toMatch(/either the day of the month or the day of the week/);
  });

  it('refuses a schedule that can never run', () => {
    expect(message('0 0 30 2 *')).toMatch(/never run/);
    expect(message('0 0 31 4,6,9,11 *')).toMatch(/never run/);
    expect(checkCron('0 0 31 4,5 *').ok).toBe(true);
  });
});

describe('ZCron', () => {
  it('parses to the normalized expression, and fails with the message', () => {
    expect(ZCron.parse(' @monthly ')).toBe('0 0 1 * *');
    const result = ZCron.safeParse('0 25 * * *');
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe('The hour must be between 0 and 23 (got 25).');
  });
});
