import { assertCleanInput, assertJsonShape, hasForbiddenCharacters, InputRejectedError } from './input-limits';

const codeOf = (fn: () => void): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(InputRejectedError);
    return (error as InputRejectedError).code;
  }
};

describe('assertJsonShape', () => {
  const limits = { maxDepth: 3, maxItems: 3 };
  it('counts nesting of arrays and objects, not brackets inside strings or after escapes', () => {
    expect(codeOf(() => assertJsonShape('[[[1]]]', limits))).toBeUndefined();
    expect(codeOf(() => assertJsonShape('[[[[1]]]]', limits))).toBe('JSON_TOO_DEEP');
    expect(codeOf(() => assertJsonShape('{"a":{"b":[{}]}}', limits))).toBe('JSON_TOO_DEEP');
    expect(codeOf(() => assertJsonShape('["[[[[[", "\\"[[[[", {"k\\\\":[1]}]', limits))).toBeUndefined();
    expect(codeOf(() => assertJsonShape('["\\\\", [[[1]]]]', limits))).toBe('JSON_TOO_DEEP');
    // Depth is measured, not accumulated: siblings do not add up.
    expect(codeOf(() => assertJsonShape('[[[1]],[[2]],[[3]]]', limits))).toBeUndefined();
  });

  it('counts the entries of each array or object separately', () => {
    expect(codeOf(() => assertJsonShape('[1,2,3]', limits))).toBeUndefined();
    expect(codeOf(() => assertJsonShape('[1,2,3,4]', limits))).toBe('JSON_TOO_MANY_ITEMS');
    expect(codeOf(() => assertJsonShape('{"a":1,"b":2,"c":3,"d":4}', limits))).toBe('JSON_TOO_MANY_ITEMS');
    expect(codeOf(() => assertJsonShape('[[1,2,3],[1,2,3],"a,b,c,d,e"]', limits))).toBeUndefined();
  });

  it('scans a megabyte of brackets in linear time without recursion', () => {
    const started = performance.now();
    expect(codeOf(() => assertJsonShape(Buffer.from('['.repeat(1_000_000))))).toBe('JSON_TOO_DEEP');
    expect(codeOf(() => assertJsonShape(Buffer.from(`"${'['.repeat(1_000_000)}"`)))).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(500);
  });
});

describe('assertCleanInput', () => {
  it('refuses control characters and unpaired surrogates in strings and keys, anywhere', () => {
    expect(hasForbiddenCharacters('tab\tnewline\ncr\r 😀 é')).toBe(false);
    for (const bad of ['\u0000', 'a\u0001', '\u001f', '\u007f', '\u0085', '\ud800', 'x\udc00', '\udc00\ud800']) expect(hasForbiddenCharacters(bad)).toBe(true);
    expect(codeOf(() => assertCleanInput({ a: [{ b: 'ok' }, { c: 'n\u0000' }] }, 'body'))).toBe('INVALID_CHARACTERS');
    expect(codeOf(() => assertCleanInput({ ['k\u0000']: 1 }, 'body'))).toBe('INVALID_CHARACTERS');
    expect(codeOf(() => assertCleanInput({ a: [1, true, null, { b: 'fine' }] }, 'body'))).toBeUndefined();
  });

  it('names the offending field', () => {
    try {
      assertCleanInput({ a: [{ b: 'ok' }, { c: 'n\u0000' }] }, 'body');
    } catch (error) {
      expect((error as InputRejectedError).errors).toEqual([{ field: 'a[1].c', message: expect.stringContaining('control characters') }]);
    }
    expect.assertions(1);
  });

  it('bounds repeated parameters and wide objects', () => {
    expect(codeOf(() => assertCleanInput({ status: Array.from({ length: 4 }, () => 'x') }, 'query', { maxDepth: 3, maxItems: 3 }))).toBe('JSON_TOO_MANY_ITEMS');
  });
});
