import { normalizeRedirectUris, redirectUriProblem } from './redirect-uris';

describe('redirect URIs', () => {
  it.each(['https://app.example.com/auth/callback', 'http://localhost:5173/cb', 'https://app.example.com/cb?tenant=1', 'com.example.app:/oauth2redirect', 'com.example.app://callback'])('accepts %s', (uri) => {
    expect(redirectUriProblem(uri)).toBeNull();
  });

  it.each([
    ['javascript:alert(1)', /reverse-domain/],
    ['data:text/html,hi', /reverse-domain/],
    ['myapp:/cb', /reverse-domain/],
    ['https://app.example.com/cb#x', /fragment/],
    ['https://u:p@app.example.com/cb', /credentials/],
    ['/relative/cb', /absolute/],
    [`https://app.example.com/${'a'.repeat(2000)}`, /2000/],
  ])('refuses %s', (uri, reason) => {
    expect(redirectUriProblem(uri)).toMatch(reason);
  });

  it('refuses the list with REDIRECT_URI_INVALID naming each bad entry; keeps order, drops duplicates', () => {
    expect(normalizeRedirectUris(['https://a.example/cb', 'https://b.example/cb', 'https://a.example/cb'])).toEqual(['https://a.example/cb', 'https://b.example/cb']);
    expect(() => normalizeRedirectUris(['https://a.example/cb', 'javascript:x'])).toThrow(expect.objectContaining({ code: 'REDIRECT_URI_INVALID', errors: [expect.objectContaining({ field: 'redirectUris[1]' })] }));
  });
});
