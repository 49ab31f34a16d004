import { PasswordTooWeakError } from './errors';
import { assertPasswordAcceptable, passwordLength } from './password-policy';

describe('password policy', () => {
  it('counts characters, not UTF-16 code units', () => {
    expect(passwordLength('🔑🔑🔑🔑')).toBe(4);
    expect(passwordLength('abc')).toBe(3);
  });

  it('accepts 8 to 128 characters of any kind', () => {
    expect(() => assertPasswordAcceptable('ab cd ef')).not.toThrow();
    expect(() => assertPasswordAcceptable('🔑'.repeat(128))).not.toThrow();
    expect(() => assertPasswordAcceptable('пароль-длинный')).not.toThrow();
  });

  it('refuses too short, too long, common and self-referential passwords', () => {
    expect(() => assertPasswordAcceptable('seven77')).toThrow(PasswordTooWeakError);
    expect(() => assertPasswordAcceptable('🔑'.repeat(129))).toThrow(/at most 128/);
    expect(() => assertPasswordAcceptable('password')).toThrow(/too common/);
    expect(() => assertPasswordAcceptable('QWERTY123')).toThrow(/too common/);
    expect(() => assertPasswordAcceptable('ada.lovelace', ['Ada.Lovelace'])).toThrow(/username/);
  });
});
