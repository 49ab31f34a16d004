import { allowedRedirect } from './redirects';

describe('allowedRedirect', () => {
  const list = ['https://app.example.com', 'http://pages.test:8080/auth/'];

  it('accepts URLs on an allowed origin, under an allowed path', () => {
    expect(allowedRedirect('https://app.example.com/signed-in?x=1', list)).toBe('https://app.example.com/signed-in?x=1');
    expect(allowedRedirect('http://pages.test:8080/auth/done', list)).toBe('http://pages.test:8080/auth/done');
  });

  it('refuses other origins, paths, schemes and credentials', () => {
    for (const bad of [
      'https://evil.example.com/',
      'https://app.example.com.evil.test/',
      'http://app.example.com/',
      'http://pages.test:8080/other',
      'http://pages.test:8080/authx',
      'https://user:pw@app.example.com/',
      'javascript:alert(1)',
      '//app.example.com/',
      '/relative',
      '',
      42,
      undefined,
    ]) {
      expect(allowedRedirect(bad, list)).toBeNull();
    }
  });

  it('refuses everything when the list is empty', () => {
    expect(allowedRedirect('https://app.example.com/', [])).toBeNull();
  });
});
