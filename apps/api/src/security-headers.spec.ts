import { helmetOptions, securityHeaders } from './security-headers';

describe('security headers', () => {
  it('are helmet’s, computed once, with our CSP', () => {
    const headers = securityHeaders(helmetOptions({ env: 'development', publicBaseUrl: 'http://localhost:3000' }));
    expect(headers['X-Content-Type-Options']).toBe('nosniff');
    expect(headers['Content-Security-Policy']).toContain("frame-ancestors 'none'");
    expect(headers['Content-Security-Policy']).toContain("default-src 'self'");
    expect(headers['Strict-Transport-Security']).toBeUndefined();
  });

  it('upgrade insecure requests and set COOP only when the public URL is https', () => {
    const plain = securityHeaders(helmetOptions({ env: 'development', publicBaseUrl: 'http://pages.test:3000' }));
    expect(plain['Content-Security-Policy']).not.toContain('upgrade-insecure-requests');
    expect(plain['Cross-Origin-Opener-Policy']).toBeUndefined();
    const secure = securityHeaders(helmetOptions({ env: 'production', publicBaseUrl: 'https://id.example.com' }));
    expect(secure['Content-Security-Policy']).toContain('upgrade-insecure-requests');
    expect(secure['Cross-Origin-Opener-Policy']).toBe('same-origin');
  });

  it('add HSTS in production', () => {
    expect(securityHeaders(helmetOptions({ env: 'production', publicBaseUrl: 'https://id.example.com' }))['Strict-Transport-Security']).toBe('max-age=31536000; includeSubDomains');
  });
});
