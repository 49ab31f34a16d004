import { newRecoveryCode, normalizeRecoveryCode } from './recovery-codes';

describe('recovery codes', () => {
  it('are 12 base32 characters (60 bits) in groups of four, all different', () => {
    const codes = Array.from({ length: 50 }, newRecoveryCode);
    for (const c of codes) expect(c).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(new Set(codes).size).toBe(50);
  });

  it('are read in any case, with or without dashes and spaces', () => {
    const code = newRecoveryCode();
    const expected = code.replace(/-/g, '');
    expect(normalizeRecoveryCode(code.toLowerCase())).toBe(expected);
    expect(normalizeRecoveryCode(` ${code.replace(/-/g, ' ')} `)).toBe(expected);
    expect(normalizeRecoveryCode(expected)).toBe(expected);
  });
});
