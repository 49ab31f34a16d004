import { normalizeEmail, normalizePhone, parseLoginIdentifier } from './identifiers';

describe('identifiers', () => {
  it('normalises emails and phones', () => {
    expect(normalizeEmail('  Ada@Example.COM ')).toBe('ada@example.com');
    expect(normalizePhone('+47 412 34 567')).toBe('+4741234567');
    expect(normalizePhone('+1 (415) 555-2671')).toBe('+14155552671');
    expect(normalizePhone('12')).toBeUndefined();
  });

  it('reads a login as email, phone or username', () => {
    expect(parseLoginIdentifier('Ada@Example.com')).toEqual({ kind: 'email', value: 'ada@example.com' });
    expect(parseLoginIdentifier('+47 412 34 567')).toEqual({ kind: 'phone', value: '+4741234567' });
    expect(parseLoginIdentifier('Ada_L')).toEqual({ kind: 'username', value: 'ada_l' });
  });
});
