import { expectOk, markContactsVerified, newUser, TestUser, uniqueName } from '../support/factories';
import { json } from '../support/http';
import { startTestApp, TestApp } from '../support/test-app';
import { currentStep, totpAt } from '../support/totp';

/**
 * Cookie mode (browser-safe sessions): the refresh token in an HttpOnly cookie scoped to the refresh
 * and logout paths, the CSRF checks of the endpoints that accept it, rotation and reuse detection as
 * for the body token, logout clearing it. Raw HTTP here, as a browser sends it: the cookie header is
 * what the browser would send back, the header and Origin what a page (or an attacker's page) sends.
 */
const APP_ORIGIN = 'https://app.example.test';
const OTP_EMAIL = 'cookie-otp@example.test';
const DELIVERY = { 'x-refresh-token-delivery': 'cookie' };

interface SetCookie {
  name: string;
  value: string;
  attributes: Record<string, string | true>;
}

function setCookies(response: Response): SetCookie[] {
  return response.headers.getSetCookie().map((line) => {
    const [pair, ...rest] = line.split(';').map((s) => s.trim());
    const eq = pair.indexOf('=');
    const attributes: Record<string, string | true> = {};
    for (const a of rest) {
      const i = a.indexOf('=');
      attributes[(i < 0 ? a : a.slice(0, i)).toLowerCase()] = i < 0 ? true : a.slice(i + 1);
    }
    return { name: pair.slice(0, eq), value: decodeURIComponent(pair.slice(eq + 1)), attributes };
  });
}

/** The refresh token the response set (the same value on every path), checking the cookie's attributes. */
function cookieToken(response: Response, maxAge: number): string {
  const cookies = setCookies(response);
  expect(cookies.map((c) => c.attributes.path).sort()).toEqual(['/api/v1/auth/logout', '/api/v1/auth/refresh']);
  for (const c of cookies) {
    expect(c).toMatchObject({ name: 'refresh_token', attributes: { httponly: true, secure: true, samesite: 'Strict', 'max-age': String(maxAge) } });
    expect(c.value).toBe(cookies[0].value);
    expect(c.value.length).toBeGreaterThan(40);
  }
  return cookies[0].value;
}

function expectCleared(response: Response): void {
  const cookies = setCookies(response);
  expect(cookies.map((c) => c.attributes.path).sort()).toEqual(['/api/v1/auth/logout', '/api/v1/auth/refresh']);
  for (const c of cookies) expect(c).toMatchObject({ name: 'refresh_token', value: '', attributes: { 'max-age': '0', httponly: true } });
}

describe('refresh token in an HttpOnly cookie (cookie mode)', () => {
  let t: TestApp;
  beforeAll(async () => {
    // Grace 0: a rotated cookie sent again is reuse as soon as it arrives after the rotation.
    t = await startTestApp({ env: { PUBLIC_BASE_URL: 'http://localhost:3000', CORS_ORIGINS: APP_ORIGIN, REFRESH_REUSE_GRACE_SECONDS: '0', OTP_TEST_DESTINATIONS: `${OTP_EMAIL}=246810`, OTP_RESEND_SECONDS: '0' } });
  });
  afterAll(() => t.close());

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${t.baseUrl}/api/v1/auth/${path}`, {
      method: 'POST',
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const cookie = (token: string) => ({ cookie: `refresh_token=${encodeURIComponent(token)}` });
  const me = (accessToken: string) => t.as(accessToken).GET('/api/v1/users/me');
  async function cookieLogin(u: TestUser, headers: Record<string, string> = {}): Promise<{ accessToken: string; token: string; body: Record<string, unknown> }> {
    const r = await post('login', { login: u.user.username, password: u.password }, { ...DELIVERY, ...headers });
    expect(r.status).toBe(200);
    const body = await json(r);
    return { accessToken: body.accessToken, token: cookieToken(r, body.refreshExpiresIn), body };
  }

  it('login with X-Refresh-Token-Delivery: cookie sets the cookie (HttpOnly, Secure, SameSite=Strict, refresh and logout paths) and leaves it out of the body', async () => {
    const u = await newUser(t);
    const { body, accessToken } = await cookieLogin(u);
    expect(body).not.toHaveProperty('refreshToken');
    expect(body).toMatchObject({ tokenType: 'Bearer', expiresIn: 900, refreshExpiresIn: 2592000 });
    expect((await me(accessToken)).response.status).toBe(200);
    // Without the header: the body mode of the contract, no cookie.
    const plain = await post('login', { login: u.user.username, password: u.password });
    expect(plain.headers.getSetCookie()).toEqual([]);
    expect(await json(plain)).toHaveProperty('refreshToken');
  });

  it('refresh reads the cookie when the body has none, rotates it, and the successor works', async () => {
    const u = await newUser(t);
    const first = await cookieLogin(u);
    const r = await post('refresh', {}, { ...DELIVERY, ...cookie(first.token) });
    expect(r.status).toBe(200);
    const body = await json(r);
    expect(body).not.toHaveProperty('refreshToken');
    const second = cookieToken(r, body.refreshExpiresIn);
    expect(second).not.toBe(first.token);
    expect((await me(body.accessToken)).response.status).toBe(200);
    // No body at all works as well (what a browser's fetch without a body sends).
    const third = await post('refresh', undefined, { ...DELIVERY, ...cookie(second) });
    expect(third.status).toBe(200);
    expect(cookieToken(third, (await json(third)).refreshExpiresIn)).not.toBe(second);
  });

  it('refuses the cookie without the custom header (CSRF): 403 CSRF_HEADER_MISSING, nothing rotated', async () => {
    const u = await newUser(t);
    const { token } = await cookieLogin(u);
    for (const path of ['refresh', 'logout']) {
      const r = await post(path, {}, cookie(token));
      expect(r.status).toBe(403);
      expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect((await json(r)).code).toBe('CSRF_HEADER_MISSING');
      expect(r.headers.getSetCookie()).toEqual([]);
    }
    // The token was neither rotated nor revoked by the refusals.
    expect((await post('refresh', {}, { ...DELIVERY, ...cookie(token) })).status).toBe(200);
  });

  it('checks the Origin: CORS_ORIGINS and the service itself pass, any other origin gets 403 ORIGIN_NOT_ALLOWED', async () => {
    const u = await newUser(t);
    let { token } = await cookieLogin(u, { origin: APP_ORIGIN });
    for (const origin of ['https://evil.example.test', 'null', 'http://app.example.test']) {
      const r = await post('refresh', {}, { ...DELIVERY, ...cookie(token), origin });
      expect(r.status).toBe(403);
      expect((await json(r)).code).toBe('ORIGIN_NOT_ALLOWED');
    }
    const refused = await post('login', { login: u.user.username, password: u.password }, { ...DELIVERY, origin: 'https://evil.example.test' });
    expect({ status: refused.status, code: (await json(refused)).code, cookies: refused.headers.getSetCookie() }).toEqual({ status: 403, code: 'ORIGIN_NOT_ALLOWED', cookies: [] });
    for (const origin of [APP_ORIGIN, t.baseUrl, 'http://localhost:3000']) {
      const r = await post('refresh', {}, { ...DELIVERY, ...cookie(token), origin });
      expect(r.status).toBe(200);
      token = cookieToken(r, (await json(r)).refreshExpiresIn);
    }
  });

  it('answers CORS with credentials for the listed origins only, and lets the custom header through', async () => {
    const preflight = (origin: string) =>
      fetch(`${t.baseUrl}/api/v1/auth/refresh`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-refresh-token-delivery' },
      });
    const allowed = await preflight(APP_ORIGIN);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
    expect(allowed.headers.get('access-control-allow-credentials')).toBe('true');
    expect(allowed.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('x-refresh-token-delivery');
    const other = await preflight('https://evil.example.test');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    expect(other.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('a replayed rotated cookie is reuse: 401 TOKEN_REUSED, the cookie cleared, the whole session revoked', async () => {
    const u = await newUser(t);
    const first = await cookieLogin(u);
    const rotated = await post('refresh', {}, { ...DELIVERY, ...cookie(first.token) });
    const rotatedBody = await json(rotated);
    const successor = cookieToken(rotated, rotatedBody.refreshExpiresIn);
    // Grace 0: the old cookie is reuse once it arrives after the rotation (poll: no fixed sleep).
    const deadline = Date.now() + 10_000;
    let replay: Response;
    for (;;) {
      replay = await post('refresh', {}, { ...DELIVERY, ...cookie(first.token) });
      if (replay.status !== 200 || Date.now() > deadline) break;
    }
    expect(replay.status).toBe(401);
    expect((await json(replay)).code).toBe('TOKEN_REUSED');
    expectCleared(replay);
    // Every token of the session is dead: the successor cookie and the access tokens.
    const after = await post('refresh', {}, { ...DELIVERY, ...cookie(successor) });
    expect(after.status).toBe(401);
    expectCleared(after);
    expect((await me(rotatedBody.accessToken)).response.status).toBe(401);
    expect((await me(first.accessToken)).response.status).toBe(401);
  });

  it('logout with only the cookie (a reloaded page has no access token) ends the session and clears the cookie', async () => {
    const u = await newUser(t);
    const { token, accessToken } = await cookieLogin(u);
    const r = await post('logout', undefined, { ...DELIVERY, ...cookie(token) });
    expect(r.status).toBe(204);
    expectCleared(r);
    expect((await me(accessToken)).response.status).toBe(401);
    expect((await post('refresh', {}, { ...DELIVERY, ...cookie(token) })).status).toBe(401);
    // Logging out again with the dead cookie: nothing left to end, still 204 and cleared.
    const again = await post('logout', undefined, { ...DELIVERY, ...cookie(token) });
    expect(again.status).toBe(204);
    expectCleared(again);
  });

  it('logout with a bearer token in cookie mode ends that session and clears the cookie', async () => {
    const u = await newUser(t);
    const { token, accessToken } = await cookieLogin(u);
    const r = await post('logout', undefined, { ...DELIVERY, ...cookie(token), authorization: `Bearer ${accessToken}` });
    expect(r.status).toBe(204);
    expectCleared(r);
    expect((await post('refresh', {}, { ...DELIVERY, ...cookie(token) })).status).toBe(401);
  });

  it('body mode keeps working: logout with the refresh token in the body, refresh without any token is 400, logout without any is 401', async () => {
    const u = await newUser(t);
    const r = await t.api.POST('/api/v1/auth/logout', { body: { refreshToken: u.tokens.refreshToken } });
    expect(r.response.status).toBe(204);
    expect(r.response.headers.getSetCookie()).toEqual([]);
    expect((await me(u.tokens.accessToken)).response.status).toBe(401);
    expect((await post('logout', { refreshToken: 'not-a-refresh-token' })).status).toBe(204);
    const missing = await post('refresh', {});
    expect({ status: missing.status, code: (await json(missing)).code }).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    const anonymous = await post('logout', undefined);
    expect({ status: anonymous.status, code: (await json(anonymous)).code }).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
    expect((await post('logout', { refreshToken: 'x', extra: 1 })).status).toBe(400);
  });

  it('every sign-in can deliver the cookie: OAuth token endpoint, one-time-code login, the second-factor step', async () => {
    // POST /auth/token (form, RFC 6749): refresh_token left out of the body.
    const u = await newUser(t);
    const form = await fetch(`${t.baseUrl}/api/v1/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...DELIVERY },
      body: new URLSearchParams({ grant_type: 'password', username: u.user.username, password: u.password }).toString(),
    });
    expect(form.status).toBe(200);
    const oauth = await json(form);
    expect(oauth).not.toHaveProperty('refresh_token');
    expect(oauth).toMatchObject({ token_type: 'Bearer', expires_in: 900 });
    cookieToken(form, 2592000);

    // One-time-code login.
    const o = await newUser(t, { email: OTP_EMAIL });
    await markContactsVerified(t, o.user.id);
    expectOk(await t.api.POST('/api/v1/auth/otp/request', { body: { channel: 'email', destination: OTP_EMAIL, purpose: 'login' } }));
    const otp = await post('otp/verify', { channel: 'email', destination: OTP_EMAIL, purpose: 'login', code: '246810' }, DELIVERY);
    expect(otp.status).toBe(200);
    const otpBody = await json(otp);
    expect(otpBody).not.toHaveProperty('refreshToken');
    const otpToken = cookieToken(otp, otpBody.refreshExpiresIn);
    expect((await post('refresh', {}, { ...DELIVERY, ...cookie(otpToken) })).status).toBe(200);

    // Two-factor: the login stops with MFA_REQUIRED (no cookie), the verify step sets it.
    const m = await newUser(t, { ...uniqueName('mfa') });
    const enrolment = expectOk(await m.api.POST('/api/v1/auth/mfa/totp', { body: { password: m.password } }));
    const step = currentStep();
    expectOk(await m.api.POST('/api/v1/auth/mfa/totp/{factorId}/confirm', { params: { path: { factorId: enrolment.factorId } }, body: { code: totpAt(enrolment.secret, step) } }));
    const stopped = await post('login', { login: m.user.username, password: m.password }, DELIVERY);
    expect(stopped.status).toBe(403);
    expect(stopped.headers.getSetCookie()).toEqual([]);
    const { mfaToken } = await json(stopped);
    const verified = await post('mfa/verify', { mfaToken, method: 'totp', code: totpAt(enrolment.secret, step + 1) }, DELIVERY);
    expect(verified.status).toBe(200);
    const verifiedBody = await json(verified);
    expect(verifiedBody).not.toHaveProperty('refreshToken');
    cookieToken(verified, verifiedBody.refreshExpiresIn);
  });
});
