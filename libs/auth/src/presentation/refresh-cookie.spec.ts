import { originAllowed, readCookie } from './refresh-cookie';

describe('refresh cookie helpers', () => {
  it('reads one cookie out of a Cookie header', () => {
    expect(readCookie('a=1; refresh_token=abc%2Bdef; b=2', 'refresh_token')).toBe('abc+def');
    expect(readCookie('refresh_token="quoted"', 'refresh_token')).toBe('quoted');
    expect(readCookie('xrefresh_token=1; refresh_token_x=2', 'refresh_token')).toBeUndefined();
    expect(readCookie('refresh_token=', 'refresh_token')).toBeUndefined();
    expect(readCookie('refresh_token=%E0%A4%A', 'refresh_token')).toBeUndefined();
    expect(readCookie(undefined, 'refresh_token')).toBeUndefined();
  });

  it('allows the listed origins, the public origin and the same host; not the development "any origin"', () => {
    const http = { corsOrigins: ['https://app.example.com'], publicBaseUrl: 'https://id.example.com/base' };
    expect(originAllowed('https://app.example.com', 'api.internal', http)).toBe(true);
    expect(originAllowed('https://id.example.com', 'api.internal', http)).toBe(true);
    expect(originAllowed('http://127.0.0.1:3000', '127.0.0.1:3000', http)).toBe(true);
    expect(originAllowed('https://evil.example.com', 'id.example.com', http)).toBe(false);
    expect(originAllowed('null', 'id.example.com', http)).toBe(false);
    expect(originAllowed('https://evil.example.com', 'id.example.com', { corsOrigins: true, publicBaseUrl: 'http://localhost:3000' })).toBe(false);
  });
});
