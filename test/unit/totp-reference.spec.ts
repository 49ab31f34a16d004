import { hotp, totpAt } from '../support/totp';

describe('the tests’ own RFC 6238 implementation', () => {
  it('matches the RFC 4226 and RFC 6238 test vectors', () => {
    const secret = Buffer.from('12345678901234567890');
    expect([0, 1, 2, 3, 9].map((c) => hotp(secret, c))).toEqual(['755224', '287082', '359152', '969429', '520489']);
    // RFC 6238 appendix B, SHA-1, T = 59 s and 1111111109 s (8 digits there; the last 6 here).
    expect(hotp(secret, Math.floor(59 / 30))).toBe('287082');
    expect(hotp(secret, Math.floor(1111111109 / 30))).toBe('081804');
    expect(totpAt('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', 1)).toBe('287082');
  });
});
