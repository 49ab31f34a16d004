import { loadConfig, readConfig, ConfigurationError } from './app-config';

describe('readConfig', () => {
  it('has working defaults for development', () => {
    const { config, problems } = readConfig({});
    expect(problems).toEqual([]);
    expect(config.http.port).toBe(3000);
    expect(config.http.env).toBe('development');
    expect(config.http.corsOrigins).toBe(true);
    expect(config.database.url).toBeUndefined();
    expect(config.database.dataDir).toMatch(/\.data$/);
    expect(config.database.migrationsRun).toBe(true);
    expect(config.auth.accessTokenTtl).toBe(900);
    expect(config.auth.refreshTokenTtl).toBe(2_592_000);
    expect(config.auth.sessionMaxAge).toBe(7_776_000);
    expect(config.auth.refreshReuseGraceSeconds).toBe(10);
    expect(config.auth.loginMaxFailures).toBe(10);
  });

  it('decides the Secure attribute of the refresh cookie: on for https, loopback hosts and production, off for plain http elsewhere', () => {
    const secure = (env: Record<string, string>) => readConfig(env).config.http.refreshCookieSecure;
    expect(secure({})).toBe(true);
    expect(secure({ PUBLIC_BASE_URL: 'http://127.0.0.1:8080' })).toBe(true);
    expect(secure({ PUBLIC_BASE_URL: 'http://app.localhost' })).toBe(true);
    expect(secure({ PUBLIC_BASE_URL: 'https://id.example.com' })).toBe(true);
    expect(secure({ PUBLIC_BASE_URL: 'http://192.168.1.20:3000' })).toBe(false);
    expect(secure({ PUBLIC_BASE_URL: 'http://identity:3000' })).toBe(false);
    expect(secure({ PUBLIC_BASE_URL: 'http://identity:3000', REFRESH_COOKIE_SECURE: 'true' })).toBe(true);
    expect(secure({ REFRESH_COOKIE_SECURE: 'false' })).toBe(false);
    expect(readConfig({ NODE_ENV: 'production', REFRESH_COOKIE_SECURE: 'false' }).problems).toContain('REFRESH_COOKIE_SECURE=false is not allowed in production');
    expect(readConfig({ REFRESH_COOKIE_SECURE: 'sometimes' }).problems).toEqual(['REFRESH_COOKIE_SECURE must be one of auto, true, false (got "sometimes")']);
  });

  it('refuses production without a database, signing keys, or with dev-only options, naming each problem', () => {
    const { problems } = readConfig({ NODE_ENV: 'production', OTP_TEST_DESTINATIONS: '+15550000000=123456' });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('DATABASE_URL'),
        expect.stringContaining('JWT_SIGNING_KEYS'),
        expect.stringContaining('OTP_TEST_DESTINATIONS'),
        expect.stringContaining('APP_SECRET'),
        expect.stringContaining('METRICS_TOKEN or METRICS_PORT'),
      ]),
    );
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(ConfigurationError);
  });

  it('protects /metrics in production with a bearer token or a management port', () => {
    const base = { NODE_ENV: 'production', DATABASE_URL: 'postgres://u:p@db:5432/app', JWT_SIGNING_KEYS: '[]', APP_SECRET: 'x'.repeat(40) };
    expect(readConfig(base).problems).toEqual([expect.stringContaining('METRICS_TOKEN or METRICS_PORT is required in production')]);
    expect(readConfig({ ...base, METRICS_TOKEN: 'a-scrape-token-of-some-length' }).problems).toEqual([]);
    const port = readConfig({ ...base, METRICS_PORT: '9464' });
    expect(port.problems).toEqual([]);
    expect(port.config.http).toMatchObject({ metricsPort: 9464, metricsHost: '0.0.0.0', metricsToken: undefined });
    expect(readConfig({ ...base, METRICS_TOKEN: 'short' }).problems).toEqual([expect.stringContaining('METRICS_TOKEN must be at least 16')]);
    expect(readConfig({ ...base, METRICS_PORT: '3000' }).problems).toEqual([expect.stringContaining('METRICS_PORT must differ from PORT')]);
    expect(readConfig({}).config.http).toMatchObject({ metricsPort: undefined, metricsToken: undefined });
  });

  it('accepts a complete production configuration and allows no CORS origin by default', () => {
    const { config, problems } = readConfig({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://u:p@db:5432/app',
      JWT_SIGNING_KEYS: '[]',
      APP_SECRET: 'a-production-secret-of-at-least-32-characters',
      METRICS_PORT: '9464',
    });
    expect(problems).toEqual([]);
    expect(config.http.corsOrigins).toEqual([]);
  });

  it('reports malformed values instead of guessing', () => {
    const { problems } = readConfig({ PORT: 'eighty', ACCESS_TOKEN_TTL: '5', MIGRATIONS_RUN: 'maybe', DATABASE_URL: 'mysql://x', CORS_ORIGINS: 'https://a.example/path' });
    expect(problems).toHaveLength(5);
  });

  it('parses TRUST_PROXY as off, a hop count or a list', () => {
    expect(readConfig({}).config.http.trustProxy).toBe(false);
    expect(readConfig({ TRUST_PROXY: '1' }).config.http.trustProxy).toBe(1);
    expect(readConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).config.http.trustProxy).toEqual(['10.0.0.0/8', '127.0.0.1']);
  });

  it('reads the OTP and notification settings, test destinations normalised', () => {
    const { config, problems } = readConfig({ OTP_TEST_DESTINATIONS: '+1 555 000 0001=123456, QA@Example.test=654321', SMTP_URL: 'smtp://127.0.0.1:2525' });
    expect(problems).toEqual([]);
    expect(config.otp).toMatchObject({ ttlSeconds: 120, maxAttempts: 5, resendSeconds: 60, dailyLimit: 10 });
    expect(config.otp.testDestinations).toEqual({ '+15550000001': '123456', 'qa@example.test': '654321' });
    expect(config.notifications).toMatchObject({ smtpUrl: 'smtp://127.0.0.1:2525', mailFrom: 'no-reply@localhost', smsProvider: 'log' });
    expect(config.notifications.twilio.baseUrl).toBe('https://api.twilio.com');
    expect(config.auth.registrationRequirePhoneOtp).toBe(false);
  });

  it('refuses Twilio without credentials and malformed test destinations', () => {
    const { problems } = readConfig({ SMS_PROVIDER: 'twilio', OTP_TEST_DESTINATIONS: '+15550000001=12' });
    expect(problems).toEqual(expect.arrayContaining([expect.stringContaining('TWILIO_ACCOUNT_SID'), expect.stringContaining('OTP_TEST_DESTINATIONS')]));
  });

  it('derives the passkey relying party from PUBLIC_BASE_URL and the origins from it and CORS_ORIGINS', () => {
    expect(readConfig({}).config.auth).toMatchObject({ webauthnRpId: 'localhost', webauthnOrigins: ['http://localhost:3000'], webauthnRpName: 'Identity' });
    const { config, problems } = readConfig({ PUBLIC_BASE_URL: 'https://id.example.com:8443/base', CORS_ORIGINS: 'https://app.example.com,https://id.example.com:8443', PRODUCT_NAME: 'Acme' });
    expect(problems).toEqual([]);
    expect(config.auth).toMatchObject({ webauthnRpId: 'id.example.com', webauthnOrigins: ['https://id.example.com:8443', 'https://app.example.com'], webauthnRpName: 'Acme' });
    // Any origin for CORS never means any origin for passkeys.
    expect(readConfig({ CORS_ORIGINS: '*' }).config.auth.webauthnOrigins).toEqual(['http://localhost:3000']);
  });

  it('takes WEBAUTHN_RP_ID and WEBAUTHN_ORIGINS as given, and refuses origins the RP ID cannot serve', () => {
    const { config, problems } = readConfig({ WEBAUTHN_RP_ID: 'Example.com', WEBAUTHN_ORIGINS: 'https://example.com,https://login.example.com,android:apk-key-hash:abc' });
    expect(problems).toEqual([]);
    expect(config.auth).toMatchObject({ webauthnRpId: 'example.com', webauthnOrigins: ['https://example.com', 'https://login.example.com', 'android:apk-key-hash:abc'] });
    const bad = readConfig({ WEBAUTHN_RP_ID: 'https://example.com', WEBAUTHN_ORIGINS: 'https://example.org,example.com,https://example.com/path' }).problems;
    expect(bad).toEqual(
      expect.arrayContaining([
        expect.stringContaining('WEBAUTHN_RP_ID'),
        expect.stringContaining('"https://example.org"'),
        expect.stringContaining('"example.com"'),
        expect.stringContaining('"https://example.com/path"'),
      ]),
    );
  });
});
