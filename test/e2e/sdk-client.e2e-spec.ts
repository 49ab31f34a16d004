import {
  ApiProblemError,
  type AuthChangeEvent,
  createIdentityClient,
  isApiProblem,
  memoryStorage,
  OAuthError,
  type OAuthErrorBody,
  settle,
  type TokenStorage,
  unwrap,
} from '@identity-task/client';
import { connectTaskEvents, type TaskEventPayload } from '@identity-task/client/realtime';
import { expectOk, markContactsVerified, newUser, TestUser, uniqueName } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';
import { currentStep, totpAt } from '../support/totp';

/**
 * The SDK's auth layer against the real service, through the package entry points: cookie mode with a
 * browser-like cookie jar, restore after a reload, one refresh in flight, refresh-and-retry on 401 (a
 * POST body included), the second factor, one-time codes, typed problems, pluggable storage, and the
 * task feed's resume after a reconnection.
 */
const OTP_EMAIL = 'sdk-otp@example.test';
const APP_ORIGIN = 'https://app.example.test';

/** What a browser does with cookies, for fetch in Node: keeps Set-Cookie per path, sends them back. */
function cookieJar(origin?: string) {
  const cookies = new Map<string, { value: string; path: string }>();
  const requests: string[] = [];
  const fetchWithCookies: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    requests.push(`${request.method} ${url.pathname}`);
    const headers = new Headers(request.headers);
    const sent = [...cookies.entries()].filter(([, c]) => url.pathname === c.path || url.pathname.startsWith(`${c.path}/`));
    if (request.credentials === 'include' && sent.length > 0) headers.set('cookie', sent.map(([key, c]) => `${key.split('|')[0]}=${c.value}`).join('; '));
    if (origin) headers.set('origin', origin);
    const response = await fetch(new Request(request, { headers }));
    if (request.credentials === 'include') {
      for (const line of response.headers.getSetCookie()) {
        const [pair, ...attributes] = line.split(';').map((s) => s.trim());
        const eq = pair.indexOf('=');
        const path = attributes.find((a) => a.toLowerCase().startsWith('path='))?.slice(5) ?? '/';
        const maxAge = attributes.find((a) => a.toLowerCase().startsWith('max-age='))?.slice(8);
        const key = `${pair.slice(0, eq)}|${path}`;
        if (maxAge === '0') cookies.delete(key);
        else cookies.set(key, { value: pair.slice(eq + 1), path });
      }
    }
    return response;
  };
  return { fetch: fetchWithCookies, cookies, requests };
}

describe('@identity-task/client against the service', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { CORS_ORIGINS: APP_ORIGIN, OTP_TEST_DESTINATIONS: `${OTP_EMAIL}=112233`, OTP_RESEND_SECONDS: '0' } });
  });
  afterAll(() => t.close());

  it('cookie mode: no refresh token reaches the page, a reload restores the session from the cookie, sign-out clears it', async () => {
    const u = await newUser(t);
    const jar = cookieJar(APP_ORIGIN);
    const events: AuthChangeEvent[] = [];
    const client = createIdentityClient({ baseUrl: t.baseUrl, sessionMode: 'cookie', fetch: jar.fetch });
    client.auth.onAuthStateChange((event) => events.push(event));

    const { session } = await client.auth.signInWithPassword({ login: u.user.username, password: u.password });
    expect(session?.refreshToken).toBeUndefined();
    expect(session?.claims).toMatchObject({ sub: u.user.id, aud: 'default' });
    expect([...jar.cookies.keys()].sort()).toEqual(['refresh_token|/api/v1/auth/logout', 'refresh_token|/api/v1/auth/refresh']);
    expect((await unwrap(client.api.GET('/api/v1/users/me'))).id).toBe(u.user.id);

    // A reload: a new client with empty memory, the same browser (cookie jar).
    const reloaded = createIdentityClient({ baseUrl: t.baseUrl, sessionMode: 'cookie', fetch: jar.fetch });
    const restored = await reloaded.auth.restore();
    expect(restored?.claims?.sub).toBe(u.user.id);
    expect(restored?.accessToken).not.toBe(session?.accessToken);
    expect((await unwrap(reloaded.api.GET('/api/v1/users/me'))).id).toBe(u.user.id);

    await reloaded.auth.signOut();
    expect(jar.cookies.size).toBe(0);
    expect(await reloaded.auth.getSession()).toBeNull();
    // The session is over at the service: the first tab's access token is refused and it cannot refresh.
    expect((await t.as(restored!.accessToken).GET('/api/v1/users/me')).response.status).toBe(401);
    const third = createIdentityClient({ baseUrl: t.baseUrl, sessionMode: 'cookie', fetch: jar.fetch });
    expect(await third.auth.restore()).toBeNull();
    expect(events).toEqual(['SIGNED_IN']);
  });

  it('refreshes once for any number of concurrent callers, and emits TOKEN_REFRESHED once', async () => {
    const u = await newUser(t);
    const jar = cookieJar();
    const client = createIdentityClient({ baseUrl: t.baseUrl, fetch: jar.fetch });
    await client.auth.signInWithPassword({ login: u.user.username, password: u.password });
    const events: AuthChangeEvent[] = [];
    client.auth.onAuthStateChange((event) => events.push(event));
    const sessions = await Promise.all(Array.from({ length: 10 }, () => client.auth.refreshSession()));
    expect(new Set(sessions.map((s) => s.accessToken)).size).toBe(1);
    expect(jar.requests.filter((r) => r === 'POST /api/v1/auth/refresh')).toHaveLength(1);
    expect(events).toEqual(['TOKEN_REFRESHED']);
  });

  it('a call answered 401 refreshes and is retried once, its body included; a dead session signs out', async () => {
    const u = await newUser(t);
    // A stored session whose access token the service refuses, with a working refresh token.
    const storage = memoryStorage();
    const stale = { accessToken: 'not-a-valid-token', refreshToken: u.tokens.refreshToken, tokenType: 'Bearer', expiresAt: Date.now() + 600_000, refreshExpiresAt: Date.now() + 3_600_000, claims: null };
    await storage.setItem('identity-task.session', JSON.stringify(stale));
    const jar = cookieJar();
    const client = createIdentityClient({ baseUrl: t.baseUrl, storage, fetch: jar.fetch });
    const task = await unwrap(client.api.POST('/api/v1/tasks', { body: { title: 'retried with its body' } }));
    expect(task).toMatchObject({ title: 'retried with its body', ownerId: u.user.id });
    expect(jar.requests).toEqual(['POST /api/v1/tasks', 'POST /api/v1/auth/refresh', 'POST /api/v1/tasks']);
    expect(JSON.parse((await storage.getItem('identity-task.session'))!).refreshToken).not.toBe(u.tokens.refreshToken);

    // The session ended elsewhere: the refresh is refused, the client signs out, the call answers 401.
    const events: AuthChangeEvent[] = [];
    client.auth.onAuthStateChange((event) => events.push(event));
    await u.api.POST('/api/v1/auth/logout-all');
    const refused = await client.api.GET('/api/v1/users/me');
    expect(refused.response.status).toBe(401);
    expect(events).toEqual(['SIGNED_OUT']);
    expect(await storage.getItem('identity-task.session')).toBeNull();
  });

  it('signs in with the second factor, and with a one-time code; problems are typed per operation', async () => {
    const m = await newUser(t, uniqueName('sdkmfa'));
    const enrolment = expectOk(await m.api.POST('/api/v1/auth/mfa/totp', { body: { password: m.password } }));
    const step = currentStep();
    expectOk(await m.api.POST('/api/v1/auth/mfa/totp/{factorId}/confirm', { params: { path: { factorId: enrolment.factorId } }, body: { code: totpAt(enrolment.secret, step) } }));
    const client = createIdentityClient({ baseUrl: t.baseUrl, sessionMode: 'cookie', fetch: cookieJar(APP_ORIGIN).fetch });
    const first = await client.auth.signInWithPassword({ login: m.user.username, password: m.password });
    expect(first.session).toBeUndefined();
    expect(first.mfa?.methods).toEqual(expect.arrayContaining(['totp', 'recovery_code']));
    const wrong = await first.mfa!.verify('totp', '000000').catch((error: unknown) => error);
    expect(wrong).toBeInstanceOf(ApiProblemError);
    expect(wrong).toMatchObject({ status: 400, code: 'MFA_CODE_INVALID', problem: { attemptsLeft: expect.any(Number) } });
    const session = await first.mfa!.verify('totp', totpAt(enrolment.secret, step + 1));
    expect(session.claims?.amr).toEqual(['pwd', 'mfa', 'otp']);

    const o: TestUser = await newUser(t, { email: OTP_EMAIL });
    await markContactsVerified(t, o.user.id);
    const otpClient = createIdentityClient({ baseUrl: t.baseUrl });
    expect(await otpClient.auth.requestOtp({ channel: 'email', destination: OTP_EMAIL })).toMatchObject({ expiresIn: expect.any(Number) });
    const signedIn = await otpClient.auth.signInWithOtp({ channel: 'email', destination: OTP_EMAIL, code: '112233' });
    expect(signedIn.session?.claims?.sub).toBe(o.user.id);

    try {
      await otpClient.auth.signInWithPassword({ login: o.user.username, password: 'not the password' });
      throw new Error('expected a refusal');
    } catch (error) {
      if (!isApiProblem<'/api/v1/auth/login', 'post'>(error)) throw error;
      expect(error.code).toBe('INVALID_CREDENTIALS');
    }
    const r = await settle(otpClient.api.GET('/api/v1/tasks/{id}', { params: { path: { id: '00000000-0000-4000-8000-000000000000' } } }));
    expect(r.problem?.code).toBe('TASK_NOT_FOUND');

    // POST /auth/token answers RFC 6749 errors, and its error type says so ({ error, error_description }).
    const token = () =>
      otpClient.api.POST('/api/v1/auth/token', {
        body: { grant_type: 'password', username: o.user.username, password: 'not the password' },
        bodySerializer: (body) => new URLSearchParams(body as Record<string, string>).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
    const refused = await token();
    const oauthError: OAuthErrorBody['error'] | undefined = refused.error?.error;
    expect({ status: refused.response.status, error: oauthError }).toEqual({ status: 400, error: 'invalid_grant' });
    const thrown = await unwrap(token()).catch((error: unknown) => error);
    expect(thrown).toBeInstanceOf(OAuthError);
    expect(thrown).toMatchObject({ status: 400, error: 'invalid_grant' });
  });

  it('keeps the session in a custom storage (sync or async) and restores it', async () => {
    const u = await newUser(t);
    const saved = new Map<string, string>();
    const asyncStorage: TokenStorage = {
      getItem: async (key) => saved.get(key) ?? null,
      setItem: async (key, value) => void saved.set(key, value),
      removeItem: async (key) => void saved.delete(key),
    };
    const client = createIdentityClient({ baseUrl: t.baseUrl, storage: asyncStorage, storageKey: 'my-app' });
    await client.auth.signInWithPassword({ login: u.user.username, password: u.password });
    expect(JSON.parse(saved.get('my-app')!)).toMatchObject({ refreshToken: expect.any(String), accessToken: expect.any(String) });
    const later = createIdentityClient({ baseUrl: t.baseUrl, storage: asyncStorage, storageKey: 'my-app' });
    expect((await later.auth.restore())?.claims?.sub).toBe(u.user.id);
    expect((await unwrap(later.api.GET('/api/v1/users/me'))).id).toBe(u.user.id);
    await later.auth.signOut();
    expect(saved.has('my-app')).toBe(false);
  });

  it('the task feed delivers typed events and resumes after a reconnection with what it missed', async () => {
    const u = await newUser(t);
    const client = createIdentityClient({ baseUrl: t.baseUrl });
    await client.auth.signInWithPassword({ login: u.user.username, password: u.password });
    const received: TaskEventPayload[] = [];
    const resumes: unknown[] = [];
    const feed = connectTaskEvents({ baseUrl: t.baseUrl, getAccessToken: () => client.auth.getAccessToken(), onResume: (ack) => resumes.push(ack), socketOptions: { reconnection: false } });
    feed.on('*', (payload) => received.push(payload));
    const until = async (what: string, check: () => boolean) => {
      const deadline = Date.now() + 10_000;
      while (!check()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    await until('the connection', () => feed.socket.connected);
    const first = await unwrap(client.api.POST('/api/v1/tasks', { body: { title: 'seen live' } }));
    await until('the live event', () => received.some((e) => e.task.id === first.id));

    // Away: the socket is closed; two changes happen meanwhile; connecting again resumes from the last event.
    feed.socket.disconnect();
    const missed = await unwrap(client.api.POST('/api/v1/tasks', { body: { title: 'missed while away' } }));
    await unwrap(client.api.PATCH('/api/v1/tasks/{id}', { params: { path: { id: missed.id } }, body: { status: 'done' } }));
    feed.socket.connect();
    await until('the replay', () => received.filter((e) => e.task.id === missed.id).length === 2);
    expect(resumes).toEqual([{ replayed: 2, complete: true }]);
    expect(feed.lastEventId).toBe(received.at(-1)!.eventId);
    feed.close();
  });
});
