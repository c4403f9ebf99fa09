// Strings PostgreSQL cannot keep, found before anything reaches the database. A NUL
// (U+0000) is refused in `text` and `jsonb` alike and surfaced as a 500 carrying
// Prisma's text; an unpaired UTF-16 surrogate is not valid Unicode and is silently
// turned into U+FFFD on the way to UTF-8, so what was stored is not what was sent.
// Object keys count too: they end up in jsonb columns (an agent profile's config).

export interface InputFault {
  /** Where in the input, as zod would name it (`['settings', 'config', 'a']`). */
  path: (string | number)[];
  /** What is wrong, without the path (shown next to the field). */
  problem: string;
  /** The path and the problem, for an error message. */
  message: string;
}

/** The cause of the BAD_REQUEST a fault becomes (the error formatter shows it as a field error). */
export class UnstorableInputError extends Error {
  constructor(readonly fault: InputFault) {
    super(fault.message);
    this.name = 'UnstorableInputError';
  }
}

/** Deeper than any input of ours; a limit so a hostile nesting cannot exhaust the stack of later parsers. */
export const MAX_INPUT_DEPTH = 32;

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function describePath(path: (string | number)[]): string {
  return path.length ? path.join('.') : 'input';
}

function fault(path: (string | number)[], problem: string): InputFault {
  return { path, problem, message: `${describePath(path)}: ${problem}` };
}

function textFault(text: string, path: (string | number)[], what: string): InputFault | null {
  if (text.includes('\u0000')) return fault(path, `${what} contains a NUL character (\\u0000), which cannot be stored; remove it.`);
  if (LONE_SURROGATE.test(text))
    return fault(path, `${what} contains an unpaired UTF-16 surrogate, which is not valid Unicode; send valid text.`);
  return null;
}

/**
 * The first string (value or key) of `value` that cannot be stored, or a nesting past
 * MAX_INPUT_DEPTH; null when the whole input is storable. Iterative, so a deep input
 * is answered with a fault, never a stack overflow.
 */
export function findInputFault(value: unknown): InputFault | null {
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value, path: [] }];
  while (stack.length) {
    const item = stack.pop() as { value: unknown; path: (string | number)[] };
    if (typeof item.value === 'string') {
      const found = textFault(item.value, item.path, 'The text');
      if (found) return found;
      continue;
    }
    if (typeof item.value !== 'object' || item.value === null || item.value instanceof Date) continue;
    if (item.path.length >= MAX_INPUT_DEPTH) {
      return fault(item.path, `The input is nested more than ${MAX_INPUT_DEPTH} levels deep.`);
    }
    const entries: [string | number, unknown][] =
      item.value instanceof Map || item.value instanceof Set || Array.isArray(item.value)
        ? [...(item.value as Iterable<unknown>)].map((v, i) => [i, v])
        : Object.entries(item.value);
    for (const [key, child] of entries) {
      const path = [...item.path, key];
      if (typeof key === 'string') {
        const found = textFault(key, path, 'The key');
        if (found) return found;
      }
      stack.push({ value: child, path });
    }
  }
  return null;
}
