import { hashOtp, newOtpCode, sameHash } from './otp';

describe('one-time codes', () => {
  it('are six digits, spread over the whole range', () => {
    const codes = Array.from({ length: 2000 }, newOtpCode);
    expect(codes.every((c) => /^\d{6}$/.test(c))).toBe(true);
    expect(new Set(codes).size).toBeGreaterThan(1990);
    expect(codes.some((c) => c.startsWith('0'))).toBe(true);
  });

  it('hash bound to key, channel, destination and purpose', () => {
    const key = Buffer.alloc(32, 1);
    const t = { channel: 'sms', destination: '+15550000001', purpose: 'login' } as const;
    const h = hashOtp(key, t, '123456');
    expect(sameHash(h, hashOtp(key, t, '123456'))).toBe(true);
    expect(sameHash(h, hashOtp(key, t, '123457'))).toBe(false);
    expect(sameHash(h, hashOtp(key, { ...t, purpose: 'reset' }, '123456'))).toBe(false);
    expect(sameHash(h, hashOtp(key, { ...t, destination: '+15550000002' }, '123456'))).toBe(false);
    expect(sameHash(h, hashOtp(key, { ...t, channel: 'email' }, '123456'))).toBe(false);
    expect(sameHash(h, hashOtp(Buffer.alloc(32, 2), t, '123456'))).toBe(false);
  });
});
