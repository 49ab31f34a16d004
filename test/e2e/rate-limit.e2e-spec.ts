import { randomBytes } from 'node:crypto';
import { expectOk, uniqueName } from '../support/factories';
import { json } from '../support/http';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Per-address limits with the default configuration (AUTH_RATE_LIMIT unset: 20 a minute per address
 * and endpoint), on two instances sharing one database. The instances sit behind a proxy
 * (TRUST_PROXY=1), so each request's client address is the one X-Forwarded-For names.
 */
describe('per-address rate limits shared by every instance (default AUTH_RATE_LIMIT)', () => {
  let a: TestApp;
  let b: TestApp;
  const accounts: { login: string; password: string }[] = [];

  beforeAll(async () => {
    const env = { AUTH_RATE_LIMIT: undefined, TRUST_PROXY: '1' };
    a = await startTestApp({ env });
    // One deployment, one time: the instances share the clock, stopped once the accounts exist, so a
    // budget refills only when a test moves it (counts are exact, whatever the host's speed).
    b = await startTestApp({ db: a.db, env, clock: a.clock });
    // Thirty accounts, registered from thirty addresses (registration has its own per-address budget).
    for (let i = 0; i < 30; i++) {
      const { username } = uniqueName('stuffed');
      const password = `pw-${randomBytes(8).toString('hex')}`;
      expectOk(await (i % 2 ? b : a).api.POST('/api/v1/auth/register', { body: { username, password }, headers: { 'x-forwarded-for': `198.51.100.${i + 1}` } }));
      accounts.push({ login: username, password });
    }
    a.clock.freeze();
  });

  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('30 logins from one address for 30 accounts meet 429 + Retry-After, on both instances; another address is unaffected', async () => {
    const from = '203.0.113.7';
    // All at once, as a stuffing tool would send them, alternating between the instances: each
    // instance's guard decides before any password is hashed.
    const answers = await Promise.all(
      accounts.map(async (account, i) => {
        const instance = i % 2 ? b : a;
        const result = await instance.api.POST('/api/v1/auth/login', { body: account, headers: { 'x-forwarded-for': from } });
        return { instance: i % 2 ? 'b' : 'a', status: result.response.status, retryAfter: result.response.headers.get('retry-after'), error: result.error };
      }),
    );
    const allowed = answers.filter((x) => x.status === 200);
    const refused = answers.filter((x) => x.status === 429);
    expect(allowed.length + refused.length).toBe(30);
    // A burst of 20 (then one more every 3 s: 20 a minute) — counted across both instances.
    expect(allowed.length).toBe(20);
    expect(refused.length).toBe(10);
    expect(new Set(refused.map((x) => x.instance))).toEqual(new Set(['a', 'b']));
    for (const x of refused) {
      expect(Number(x.retryAfter)).toBeGreaterThanOrEqual(1);
      expect(Number(x.retryAfter)).toBeLessThanOrEqual(60);
      expect(x.error).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    }
    // It refills at one every 3 s: once the clock has moved 3 s, exactly one more gets through.
    a.clock.advance(3000);
    const again = [];
    for (const instance of [a, b]) again.push((await instance.api.POST('/api/v1/auth/login', { body: accounts[1], headers: { 'x-forwarded-for': from } })).response.status);
    expect(again).toEqual([200, 429]);

    // Another address has its own budget, on either instance.
    for (const instance of [a, b]) {
      const other = await instance.api.POST('/api/v1/auth/login', { body: accounts[0], headers: { 'x-forwarded-for': '203.0.113.8' } });
      expect(other.response.status).toBe(200);
    }
    // The same address still has its budget on the other sensitive endpoints.
    const { username } = uniqueName('fresh');
    const registered = await b.api.POST('/api/v1/auth/register', { body: { username, password: `pw-${randomBytes(8).toString('hex')}` }, headers: { 'x-forwarded-for': from } });
    expect(registered.response.status).toBe(201);
  });

  it('/auth/token answers its limit in RFC 6749 form (slow_down) with Retry-After and code RATE_LIMITED', async () => {
    // A password grant without a password: answered 400 at once (no hashing), and counted like any other.
    const token = (instance: TestApp) =>
      fetch(`${instance.baseUrl}/api/v1/auth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': '203.0.113.20' },
        body: new URLSearchParams({ grant_type: 'password', username: 'nobody' }).toString(),
      });
    const statuses = [];
    let last: Response | undefined;
    for (let i = 0; i < 40; i++) {
      last = await token(i % 2 ? b : a);
      statuses.push(last.status);
      if (last.status === 429) break;
    }
    expect(statuses.slice(0, 20).every((s) => s === 400)).toBe(true);
    expect(statuses.length).toBe(21);
    expect(last!.status).toBe(429);
    expect(last!.headers.get('content-type')).toMatch(/^application\/json/);
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await json(last!)).toEqual({ error: 'slow_down', error_description: expect.any(String), code: 'RATE_LIMITED' });
  });

  it('the passkey sign-in endpoints and /auth/mfa/verify have a per-address budget each', async () => {
    const headers = { 'x-forwarded-for': '203.0.113.30' };
    const burst = async (call: (instance: TestApp) => Promise<{ response: Response; error?: unknown }>) => {
      const statuses: number[] = [];
      let last: { response: Response; error?: unknown } | undefined;
      for (let i = 0; i < 40; i++) {
        last = await call(i % 2 ? b : a);
        statuses.push(last.response.status);
        if (last.response.status === 429) break;
      }
      return { statuses, last: last! };
    };
    const options = await burst((instance) => instance.api.POST('/api/v1/auth/passkeys/authentication/options', { body: {}, headers }));
    expect(options.statuses.slice(0, 20).every((s) => s === 200)).toBe(true);
    expect(options.last.response.status).toBe(429);
    expect(Number(options.last.response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(options.last.error).toMatchObject({ code: 'RATE_LIMITED' });
    // The sign-in itself has its own budget (a bad challengeToken: 401, counted like any other).
    const credential = { id: 'AA', rawId: 'AA', type: 'public-key' as const, response: { clientDataJSON: 'e30', authenticatorData: 'A'.repeat(50), signature: 'AA' } };
    const signIn = await burst((instance) => instance.api.POST('/api/v1/auth/passkeys/authentication', { body: { challengeToken: 'pkc_x', credential }, headers }));
    expect(signIn.statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(signIn.last.response.status).toBe(429);
    expect(signIn.last.error).toMatchObject({ code: 'RATE_LIMITED' });
    // So has the second step of sign-in by code (an unknown mfaToken: 401, counted like any other).
    const verify = await burst((instance) => instance.api.POST('/api/v1/auth/mfa/verify', { body: { mfaToken: 'mfa_x', method: 'totp', code: '123456' }, headers }));
    expect(verify.statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(verify.last.response.status).toBe(429);
    expect(verify.last.error).toMatchObject({ code: 'RATE_LIMITED' });
  });
});
