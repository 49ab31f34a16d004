import { ValidationFailedError } from '../errors';

/**
 * What any request may carry, checked before anything else looks at it (class-transformer recurses
 * once per nesting level, and Postgres refuses NUL in text): the one place where the shape of raw
 * input is bounded, whatever endpoint it is sent to.
 */
export interface InputLimits {
  maxDepth: number;
  maxItems: number;
}

export const INPUT_LIMITS: Readonly<InputLimits> = {
  /** Nesting of arrays and objects in a JSON body; no DTO of this API needs more than a few levels. */
  maxDepth: 32,
  /** Members of one object or elements of one array (JSON bodies, repeated query or form parameters). */
  maxItems: 1000,
};

export class InputRejectedError extends ValidationFailedError {
  constructor(code: 'JSON_TOO_DEEP' | 'JSON_TOO_MANY_ITEMS' | 'INVALID_CHARACTERS', message: string, field?: string) {
    super(message, field === undefined ? [] : [{ field, message }], code);
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const COMMA = 0x2c;

/**
 * One linear pass over the raw bytes of a JSON document that refuses it when arrays/objects nest
 * deeper than `maxDepth` or one of them holds more than `maxItems` entries. It recurses nowhere and
 * allocates one small array, so a hostile megabyte costs a millisecond or so; malformed JSON passes
 * through untouched for `JSON.parse` to refuse. (UTF-8 continuation bytes are never ASCII, so
 * scanning bytes is exact.)
 */
export function assertJsonShape(body: Buffer | string, limits: Readonly<InputLimits> = INPUT_LIMITS): void {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const items = new Uint32Array(limits.maxDepth + 2);
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (inString) {
      if (b === BACKSLASH) i++;
      else if (b === QUOTE) inString = false;
      continue;
    }
    switch (b) {
      case QUOTE:
        inString = true;
        break;
      case OPEN_ARRAY:
      case OPEN_OBJECT:
        depth++;
        if (depth > limits.maxDepth) {
          throw new InputRejectedError('JSON_TOO_DEEP', `The request body nests arrays and objects deeper than ${limits.maxDepth} levels`);
        }
        items[depth] = 1;
        break;
      case CLOSE_ARRAY:
      case CLOSE_OBJECT:
        if (depth > 0) depth--;
        break;
      case COMMA:
        if (depth > 0 && ++items[depth] > limits.maxItems) {
          throw new InputRejectedError('JSON_TOO_MANY_ITEMS', `An array or object in the request body has more than ${limits.maxItems} entries`);
        }
        break;
    }
  }
}

/**
 * Characters that make no sense in any text this API takes (names, identifiers, titles, passwords,
 * search terms, tokens): C0 controls other than tab, line feed and carriage return (NUL among them,
 * which Postgres cannot store), DEL, C1 controls, and UTF-16 surrogates that are not part of a pair
 * (JSON's `\ud800` escape yields one; it has no UTF-8 form and would be stored as U+FFFD).
 */
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function hasForbiddenCharacters(text: string): boolean {
  return FORBIDDEN.test(text);
}

/**
 * Walks parsed input (a JSON body, query or form parameters, route parameters) without recursion and
 * refuses forbidden characters in any key or string, and arrays/objects with more than `maxItems`
 * entries. `where` names the part in the error (`body`, `query`, `params`).
 */
export function assertCleanInput(value: unknown, where: string, limits: Readonly<InputLimits> = INPUT_LIMITS): void {
  const stack: Array<{ value: unknown; path: string }> = [{ value, path: '' }];
  while (stack.length > 0) {
    const { value: current, path } = stack.pop()!;
    if (typeof current === 'string') {
      if (hasForbiddenCharacters(current)) {
        throw new InputRejectedError('INVALID_CHARACTERS', `The ${where} contains control characters or unpaired surrogates where text is expected`, path || where);
      }
    } else if (Array.isArray(current)) {
      if (current.length > limits.maxItems) throw new InputRejectedError('JSON_TOO_MANY_ITEMS', `More than ${limits.maxItems} values in the ${where}`, path || where);
      for (let i = 0; i < current.length; i++) stack.push({ value: current[i], path: `${path}[${i}]` });
    } else if (typeof current === 'object' && current !== null && !Buffer.isBuffer(current)) {
      const keys = Object.keys(current);
      if (keys.length > limits.maxItems) throw new InputRejectedError('JSON_TOO_MANY_ITEMS', `More than ${limits.maxItems} members in the ${where}`, path || where);
      for (const key of keys) {
        const child = path ? `${path}.${key}` : key;
        if (hasForbiddenCharacters(key)) {
          throw new InputRejectedError('INVALID_CHARACTERS', `The ${where} contains control characters or unpaired surrogates in a name`, path || where);
        }
        stack.push({ value: (current as Record<string, unknown>)[key], path: child });
      }
    }
  }
}
