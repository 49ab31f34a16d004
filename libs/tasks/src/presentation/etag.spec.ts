import { etagOf, parseIfMatch } from './etag';

describe('ETag and If-Match', () => {
  it('a version is a strong ETag', () => {
    expect(etagOf(3)).toBe('"3"');
  });

  it('If-Match: absent or * is no precondition; tags name versions; garbage matches nothing', () => {
    expect(parseIfMatch(undefined)).toBeUndefined();
    expect(parseIfMatch('*')).toBeUndefined();
    expect(parseIfMatch('"3"')).toEqual([3]);
    expect(parseIfMatch('W/"3", "4"')).toEqual([3, 4]);
    expect(parseIfMatch('3')).toEqual([]);
    expect(parseIfMatch('"abc"')).toEqual([]);
  });
});
