import { describe, expect, it } from 'vitest';
import { sessionDatabaseUrl, sessionSchemaName } from './session-schema.ts';

describe('sessionSchemaName', () => {
  it('is session_<id> for an ordinary id', () => {
    expect(sessionSchemaName('cmwtow7oj000vyu7dap0u6fha')).toBe('session_cmwtow7oj000vyu7dap0u6fha');
  });

  it('keeps ids that differ only in case or punctuation apart', () => {
    const [mixed, clean, upper] = ['Abc-1', 'abc_1', 'ABC-1'].map(sessionSchemaName);
    expect(clean).toBe('session_abc_1');
    expect(mixed).toMatch(/^session_abc_1_[0-9a-f]{10}$/);
    expect(upper).toMatch(/^session_abc_1_[0-9a-f]{10}$/);
    expect(new Set([mixed, clean, upper]).size).toBe(3);
  });

  it('fits a PostgreSQL identifier (63 bytes) however long the id', () => {
    const name = sessionSchemaName('x'.repeat(100));
    expect(name.length).toBeLessThanOrEqual(63);
    expect(name).not.toBe(sessionSchemaName(`${'x'.repeat(99)}y`));
  });
});

describe('sessionDatabaseUrl', () => {
  it('selects the schema through options, with a space libpq can read', () => {
    expect(sessionDatabaseUrl('postgresql://app:pw@db:5432/dev', 'session_a')).toBe(
      'postgresql://app:pw@db:5432/dev?options=-c%20search_path%3Dsession_a',
    );
  });

  it('keeps the other parameters and replaces an existing options', () => {
    const url = new URL(sessionDatabaseUrl('postgresql://db/dev?sslmode=require&options=-c%20work_mem%3D1MB', 'session_b'));
    expect(url.searchParams.get('sslmode')).toBe('require');
    expect(url.searchParams.getAll('options')).toEqual(['-c search_path=session_b']);
  });
});
