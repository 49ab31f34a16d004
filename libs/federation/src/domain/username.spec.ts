import { usernameBase, usernameCandidate } from './username';

describe('usernames for accounts made by a provider', () => {
  const base = (username: string | null, email: string | null = null, name: string | null = null) => usernameBase({ username, email, name });

  it('takes the login name, else the email’s local part, else the name, fit for our rules', () => {
    expect(base('octocat')).toBe('octocat');
    expect(base(null, 'ada.lovelace+x@example.com')).toBe('ada.lovelacex');
    expect(base(null, null, 'Zoë Ångström')).toBe('Zoe.Angstrom');
    expect(base('__x')).toBe('user_x');
    expect(base('4712345678')).toBe('user_4712345678');
    expect(base(null)).toBe('user');
    expect(base('a'.repeat(40))).toHaveLength(24);
  });

  it('adds a random suffix when the first candidate is taken', () => {
    expect(usernameCandidate('octocat', 0, () => 'abc123')).toBe('octocat');
    expect(usernameCandidate('octocat', 1, () => 'abc123')).toBe('octocat_abc123');
    expect(usernameCandidate('user', 0, () => 'abc123')).toBe('user');
  });
});
