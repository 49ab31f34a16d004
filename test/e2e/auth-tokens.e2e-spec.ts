import { createPublicKey } from 'node:crypto';
import * as jwt from 'jsonwebtoken';
import { expectOk, newUser, TestUser } from '../support/factories';
import { json } from '../support/http';
import { sql } from '../support/test-database';
import { eventually } from '../support/eventually';
import { startTestApp, TestApp } from '../support/test-app';
import { b64, decodeParts, forge } from '../support/tokens';

describe('access tokens', () => {
  let t: TestApp;
  let u: TestUser;

  beforeAll(async () => {
    t = await startTestApp({ env: { AUTH_RATE_LIMIT: '100000' } });
    u = await newUser(t);
  });
  afterAll(() => t.close());

  const meWith = (token: string) => fetch(`${t.baseUrl}/api/v1/users/me`, { headers: { authorization: `Bearer ${token}` } });

  async function expect401(token: string, code: string) {
    const res = await meWith(token);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    expect((await json(res)).code).toBe(code);
  }

  it('is an ES256 JWT with kid and the documented claims, verifiable with the published JWKS', async () => {
    const { header, payload } = decodeParts(u.tokens.accessToken);
    expect(header).toEqual({ alg: 'ES256', typ: 'at+jwt', kid: expect.any(String) });
    expect(payload).toEqual({
      sub: u.user.id,
      sid: expect.stringMatching(/^[0-9a-f-]{36}$/),
      aud: 'default',
      roles: ['user'],
      amr: ['pwd'],
      iat: expect.any(Number),
      exp: expect.any(Number),
      jti: expect.any(String),
      typ: 'access',
      iss: expect.any(String),
    });
    expect((payload.exp as number) - (payload.iat as number)).toBe(900);

    // What a backend team does: fetch the JWKS, pick the key by kid, verify with the algorithm pinned.
    const jwks = expectOk(await t.api.GET('/.well-known/jwks.json'));
    const jwk = jwks.keys.find((k) => k.kid === header.kid)!;
    expect(jwk).toMatchObject({ kty: 'EC', crv: 'P-256', use: 'sig', alg: 'ES256' });
    expect(JSON.stringify(jwks)).not.toMatch(/"d"/);
    const key = createPublicKey({ key: jwk as unknown as import('node:crypto').JsonWebKey, format: 'jwk' });
    const verified = jwt.verify(u.tokens.accessToken, key, { algorithms: ['ES256'], audience: 'default' }) as jwt.JwtPayload;
    expect(verified.sub).toBe(u.user.id);
  });

  it('refuses a missing or malformed Authorization header', async () => {
    const none = await fetch(`${t.baseUrl}/api/v1/users/me`);
    expect(none.status).toBe(401);
    expect((await json(none)).code).toBe('UNAUTHENTICATED');
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    await expect401('not-a-jwt', 'TOKEN_INVALID');
  });

  it('refuses a tampered token', async () => {
    const [h, p, s] = u.tokens.accessToken.split('.');
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString());
    await expect401(`${h}.${b64({ ...payload, sub: '00000000-0000-4000-8000-000000000000' })}.${s}`, 'TOKEN_INVALID');
    await expect401(`${h}.${p}.${s.slice(0, -4)}AAAA`, 'TOKEN_INVALID');
  });

  it('refuses alg: none and algorithm confusion', async () => {
    const { payload } = decodeParts(u.tokens.accessToken);
    await expect401(`${b64({ alg: 'none', typ: 'at+jwt' })}.${b64(payload)}.`, 'TOKEN_INVALID');
    const { header } = decodeParts(u.tokens.accessToken);
    const jwks = expectOk(await t.api.GET('/.well-known/jwks.json'));
    const publicPem = createPublicKey({ key: jwks.keys[0] as unknown as import('node:crypto').JsonWebKey, format: 'jwk' }).export({ type: 'spki', format: 'pem' });
    // HS256 "signed" with the public key: a classic confusion attack.
    const hmac = jwt.sign(payload, publicPem.toString(), { algorithm: 'HS256', header: { alg: 'HS256', typ: 'at+jwt', kid: header.kid as string } as jwt.JwtHeader, noTimestamp: true });
    await expect401(hmac, 'TOKEN_INVALID');
  });

  it('refuses tokens of the wrong type, even when properly signed', async () => {
    const { payload } = decodeParts(u.tokens.accessToken);
    // Control: the same claims re-signed unchanged are accepted, so each refusal below is about its change.
    expect((await meWith(forge(t.dataDir, payload))).status).toBe(200);
    await expect401(forge(t.dataDir, { ...payload, typ: 'refresh' }), 'TOKEN_INVALID');
    await expect401(forge(t.dataDir, { ...payload, typ: 'verification' }), 'TOKEN_INVALID');
    await expect401(forge(t.dataDir, payload, { typ: 'JWT' }), 'TOKEN_INVALID');
    // A refresh token is never an access token, nor the other way round.
    await expect401(u.tokens.refreshToken, 'TOKEN_INVALID');
    const asRefresh = await t.api.POST('/api/v1/auth/refresh', { body: { refreshToken: u.tokens.accessToken } });
    expect(asRefresh.response.status).toBe(401);
    expect(asRefresh.error).toMatchObject({ code: 'TOKEN_INVALID' });
  });

  it('refuses expired tokens (beyond a small leeway) and accepts within it', async () => {
    const { payload } = decodeParts(u.tokens.accessToken);
    const now = Math.floor(Date.now() / 1000);
    await expect401(forge(t.dataDir, { ...payload, iat: now - 1000, exp: now - 60 }), 'TOKEN_EXPIRED');
    const withinLeeway = await meWith(forge(t.dataDir, { ...payload, iat: now - 900, exp: now - 2 }));
    expect([withinLeeway.status, withinLeeway.status === 200 ? '' : (await json(withinLeeway)).code]).toEqual([200, '']);
  });

  it('refuses an unknown key id, a foreign issuer and a foreign audience', async () => {
    const { payload } = decodeParts(u.tokens.accessToken);
    await expect401(forge(t.dataDir, payload, { kid: 'someone-elses-key' }), 'TOKEN_INVALID');
    await expect401(forge(t.dataDir, { ...payload, iss: 'https://evil.example' }), 'TOKEN_INVALID');
    await expect401(forge(t.dataDir, { ...payload, aud: 'not-an-application' }), 'TOKEN_INVALID');
  });

  it('issues per-application tokens that another application’s audience check refuses', async () => {
    await sql(t.db.url, `INSERT INTO applications (client_id, name) VALUES ('mobile', 'Mobile app')`);
    await sql(t.db.url, `SELECT pg_notify('access_changed', 'test')`);
    // The in-memory catalogue reloads on the notification.
    const mobile = await eventually('the catalogue to know the application', async () => {
      const res = await t.api.POST('/api/v1/auth/login', { body: { login: u.user.username, password: u.password, clientId: 'mobile' } });
      return res.response.status === 200 && res.data!;
    });
    expect(decodeParts(mobile.accessToken).payload.aud).toBe('mobile');
    const jwks = expectOk(await t.api.GET('/.well-known/jwks.json'));
    const key = createPublicKey({ key: jwks.keys[0] as unknown as import('node:crypto').JsonWebKey, format: 'jwk' });
    expect(() => jwt.verify(mobile.accessToken, key, { algorithms: ['ES256'], audience: 'default' })).toThrow(/audience/);
    expect(() => jwt.verify(u.tokens.accessToken, key, { algorithms: ['ES256'], audience: 'mobile' })).toThrow(/audience/);
    // The service itself accepts tokens of any active application; a deactivated one stops working.
    expect((await meWith(mobile.accessToken)).status).toBe(200);
    await sql(t.db.url, `UPDATE applications SET active = false WHERE client_id = 'mobile'`);
    await sql(t.db.url, `SELECT pg_notify('access_changed', 'test')`);
    await eventually('the deactivated application’s token to be refused', async () => (await meWith(mobile.accessToken)).status === 401);
  });
});
