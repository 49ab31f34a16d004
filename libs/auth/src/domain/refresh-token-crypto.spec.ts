import { hashToken, looksLikeRefreshToken, newRefreshToken, openSuccessor, sealSuccessor } from './refresh-token-crypto';

describe('refresh token crypto', () => {
  it('makes 256-bit opaque tokens', () => {
    const token = newRefreshToken();
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(looksLikeRefreshToken(token)).toBe(true);
    expect(newRefreshToken()).not.toBe(token);
  });

  it('hashes deterministically', () => {
    expect(hashToken('a').equals(hashToken('a'))).toBe(true);
    expect(hashToken('a').equals(hashToken('b'))).toBe(false);
  });

  it('seals the successor so that only the parent token opens it', () => {
    const parent = newRefreshToken();
    const successor = newRefreshToken();
    const box = sealSuccessor(parent, successor);
    expect(box.toString('utf8')).not.toContain(successor);
    expect(openSuccessor(parent, box)).toBe(successor);
    expect(openSuccessor(newRefreshToken(), box)).toBeUndefined();
    const tampered = Buffer.from(box);
    tampered[tampered.length - 1] ^= 1;
    expect(openSuccessor(parent, tampered)).toBeUndefined();
  });
});
