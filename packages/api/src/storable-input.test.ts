import { describe, expect, it } from 'vitest';
import { findInputFault, MAX_INPUT_DEPTH } from './storable-input.ts';

describe('findInputFault', () => {
  it('accepts ordinary input: text in any script, emoji (paired surrogates), numbers, dates, nulls', () => {
    expect(findInputFault({ name: 'Zoë 日本 🚀', n: 1, at: new Date(), none: null, list: ['a', { b: 'c' }] })).toBeNull();
  });

  it('names the field of a NUL byte, however deep', () => {
    expect(findInputFault({ orgId: 'o', settings: { config: { args: ['ok', 'bad\u0000'] } } })).toMatchObject({
      path: ['settings', 'config', 'args', 1],
      message: expect.stringMatching(/^settings\.config\.args\.1: The text contains a NUL character/),
    });
  });

  it('finds a NUL in an object key (keys are stored in jsonb too)', () => {
    expect(findInputFault({ config: { 'k\u0000': 1 } })).toMatchObject({
      path: ['config', 'k\u0000'],
      problem: expect.stringMatching(/^The key contains a NUL/),
    });
  });

  it('refuses a lone high surrogate and a lone low surrogate', () => {
    expect(findInputFault({ name: 'a\uD83Db' })?.path).toEqual(['name']);
    expect(findInputFault({ name: 'a\uDE80' })?.path).toEqual(['name']);
    expect(findInputFault({ name: 'end\uD83D' })?.message).toMatch(/unpaired UTF-16 surrogate/);
  });

  it('checks a bare string input and calls its place "input"', () => {
    expect(findInputFault('x\u0000')?.message).toMatch(/^input: /);
  });

  it('answers a hostile nesting with a fault, not a stack overflow', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(findInputFault(deep)?.message).toMatch(`nested more than ${MAX_INPUT_DEPTH} levels`);
  });

  it('walks the Maps and Sets superjson can deliver', () => {
    expect(findInputFault({ m: new Map([['k', 'v\u0000']]) })).not.toBeNull();
    expect(findInputFault({ s: new Set(['\u0000']) })).not.toBeNull();
  });
});
