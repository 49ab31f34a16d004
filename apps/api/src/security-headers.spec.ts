import { helmetOptions, securityHeaders } from './security-headers';

describe('security headers', () => {
  it('are helmet’s, computed once, with our CSP', () => {
    const headers = securityHeaders(helmetOptions({ env: 'development' }));
    expect(headers['X-Content-Type-Options']).toBe('nosniff');
    expect(headers['Content-Security-Policy']).toContain("frame-ancestors 'none'");
    expect(headers['Content-Security-Policy']).toContain("default-src 'self'");
    expect(headers['Strict-Transport-Security']).toBeUndefined();
  });

  it('add HSTS in production', () => {
    expect(securityHeaders(helmetOptions({ env: 'production' }))['Strict-Transport-Security']).toBe('max-age=31536000; includeSubDomains');
  });
});
