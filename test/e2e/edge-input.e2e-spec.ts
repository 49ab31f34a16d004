import { loginAdmin, newUser, TestUser, WITH_ADMIN } from '../support/factories';
import { json } from '../support/http';
import { startTestApp, TestApp } from '../support/test-app';

/** `{"refreshToken":[[[…"x"…]]]}` nested `depth` arrays deep. */
const nested = (depth: number, field = 'refreshToken') => `{"${field}":${'['.repeat(depth)}"x"${']'.repeat(depth)}}`;

describe('input bounded at the edge', () => {
  let t: TestApp;
  let user: TestUser;
  let admin: Awaited<ReturnType<typeof loginAdmin>>;
  beforeAll(async () => {
    t = await startTestApp({ env: { ...WITH_ADMIN, AUTH_RATE_LIMIT: '100000' } });
    user = await newUser(t);
    admin = await loginAdmin(t);
  });
  afterAll(() => t.close());

  const raw = (method: string, path: string, body: string, headers: Record<string, string> = {}) =>
    fetch(`${t.baseUrl}${path}`, { method, headers: { 'content-type': 'application/json', ...headers }, body });

  async function expectProblem(res: Response, status: number, code: string) {
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const body = await json(res);
    expect({ status: res.status, code: body.code }).toEqual({ status, code });
    return body;
  }

  describe('nesting depth and collection size (item 2)', () => {
    it('refuses a deeply nested body with 400 JSON_TOO_DEEP, authenticated or not', async () => {
      await expectProblem(await raw('POST', '/api/v1/auth/refresh', nested(2000)), 400, 'JSON_TOO_DEEP');
      await expectProblem(await raw('POST', '/api/v1/auth/login', nested(33, 'login')), 400, 'JSON_TOO_DEEP');
      const auth = { authorization: `Bearer ${user.tokens.accessToken}` };
      await expectProblem(await raw('POST', '/api/v1/tasks', nested(5000, 'title'), auth), 400, 'JSON_TOO_DEEP');
      await expectProblem(await raw('PATCH', '/api/v1/users/me', `[${'{"a":'.repeat(100)}1${'}'.repeat(100)}]`, auth), 400, 'JSON_TOO_DEEP');
      // Brackets inside strings are text, not nesting.
      const titled = await user.api.POST('/api/v1/tasks', { body: { title: `${'['.repeat(5000)} not nested` } });
      expect(titled.response.status).toBe(400);
      expect(titled.error).toMatchObject({ code: 'VALIDATION_FAILED' });
      const quoted = await user.api.POST('/api/v1/tasks', { body: { title: 'a "[[[[" \\" [[[ title', description: '{'.repeat(9000) } });
      expect(quoted.response.status).toBe(201);
    });

    it('lets nesting up to the limit through to the ordinary validation', async () => {
      await expectProblem(await raw('POST', '/api/v1/auth/refresh', nested(31)), 400, 'VALIDATION_FAILED');
    });

    it('refuses arrays and objects with more than 1 000 entries (JSON_TOO_MANY_ITEMS), also as repeated query parameters', async () => {
      const roles = JSON.stringify({ roles: Array.from({ length: 1001 }, (_, i) => `r${i}`) });
      await expectProblem(await raw('PUT', `/api/v1/users/${user.user.id}/roles`, roles, { authorization: `Bearer ${admin.tokens.accessToken}` }), 400, 'JSON_TOO_MANY_ITEMS');
      const wide = JSON.stringify(Object.fromEntries(Array.from({ length: 1001 }, (_, i) => [`k${i}`, 1])));
      await expectProblem(await raw('POST', '/api/v1/auth/login', wide), 400, 'JSON_TOO_MANY_ITEMS');
      const query = Array.from({ length: 1001 }, () => 'status=todo').join('&');
      await expectProblem(await fetch(`${t.baseUrl}/api/v1/tasks?${query}`, { headers: { authorization: `Bearer ${user.tokens.accessToken}` } }), 400, 'JSON_TOO_MANY_ITEMS');
    });

    it('refuses megabyte-sized nested bodies before parsing them (JSON_TOO_DEEP), and /health/live answers meanwhile', async () => {
      const bomb = `{"refreshToken":${'['.repeat(500_000)}${']'.repeat(500_000)}}`;
      expect(bomb.length).toBeGreaterThan(999_000);
      // JSON_TOO_DEEP comes only from the scan that runs before JSON.parse: a body that reached the
      // parser and the pipes would have answered something else (unbounded, each one held the event
      // loop for seconds and ended as a 500). No wall-clock bound: the host's speed must not matter.
      let attacking = true;
      const attackers = Array.from({ length: 5 }, async () => {
        const answers: { status: number; code: unknown }[] = [];
        for (let i = 0; i < 4; i++) {
          const res = await raw('POST', '/api/v1/auth/refresh', bomb);
          answers.push({ status: res.status, code: (await json(res)).code });
        }
        return answers;
      });
      const done = Promise.all(attackers).finally(() => (attacking = false));
      const live: number[] = [];
      do {
        const res = await fetch(`${t.baseUrl}/health/live`);
        live.push(res.status);
        await res.arrayBuffer();
      } while (attacking);
      const answers = (await done).flat();
      expect(answers).toEqual(Array(20).fill({ status: 400, code: 'JSON_TOO_DEEP' }));
      expect(new Set(live)).toEqual(new Set([200]));
    });
  });
  describe('text, dates and bodies that used to reach the database (item 4)', () => {
    const NUL = 'a\u0000b';
    const asUser = () => ({ authorization: `Bearer ${user.tokens.accessToken}` });
    const asAdmin = () => ({ authorization: `Bearer ${admin.tokens.accessToken}` });

    it('refuses NUL and other control characters in every JSON body with 400 INVALID_CHARACTERS', async () => {
      const cases: Array<[string, string, unknown, Record<string, string>?]> = [
        ['POST', '/api/v1/auth/login', { login: NUL, password: 'whatever-password' }],
        ['POST', '/api/v1/auth/login', { login: user.user.username, password: 'pass\u0000word' }],
        ['POST', '/api/v1/auth/register', { username: 'nul_user', email: 'nul\u0000@example.test', password: 'a-good-password-1' }],
        ['POST', '/api/v1/auth/refresh', { refreshToken: NUL }],
        ['POST', '/api/v1/auth/otp/request', { channel: 'email', destination: 'x\u0000@example.test', purpose: 'login' }],
        ['POST', '/api/v1/auth/otp/verify', { destination: NUL, code: '123456', purpose: 'login' }],
        ['POST', '/api/v1/auth/password/forgot', { login: NUL }],
        ['POST', '/api/v1/auth/password/reset', { token: NUL, newPassword: 'a-good-password-2' }],
        ['POST', '/api/v1/auth/email/verify', { token: NUL }],
        ['POST', '/api/v1/tasks', { title: NUL }, asUser()],
        ['POST', '/api/v1/tasks', { title: 'bell \u0007' }, asUser()],
        ['POST', '/api/v1/tasks', { title: 'ok', description: 'escape \u001b[31m' }, asUser()],
        ['PATCH', '/api/v1/users/me', { firstName: NUL }, asUser()],
        ['PATCH', '/api/v1/users/me', { [NUL]: 'key' }, asUser()],
        ['POST', '/api/v1/users', { username: 'admin_nul', password: 'a-good-password-3', lastName: NUL }, asAdmin()],
        ['POST', '/api/v1/roles', { name: NUL, permissions: [] }, asAdmin()],
        ['POST', '/api/v1/applications', { name: NUL }, asAdmin()],
      ];
      for (const [method, path, body, headers] of cases) {
        const res = await raw(method, path, JSON.stringify(body), headers);
        const problem = await expectProblem(res, 400, 'INVALID_CHARACTERS').catch((error: Error) => {
          throw new Error(`${method} ${path} ${JSON.stringify(body)}: ${error.message}`);
        });
        expect(problem.errors).toEqual([{ field: expect.any(String), message: expect.any(String) }]);
      }
    });

    it('refuses unpaired UTF-16 surrogates, and keeps tabs, newlines and real astral characters', async () => {
      await expectProblem(await raw('POST', '/api/v1/tasks', '{"title":"lone \\ud800 high"}', asUser()), 400, 'INVALID_CHARACTERS');
      await expectProblem(await raw('POST', '/api/v1/tasks', '{"title":"lone \\udc00 low"}', asUser()), 400, 'INVALID_CHARACTERS');
      const ok = await user.api.POST('/api/v1/tasks', { body: { title: 'pair 😀 tab\there', description: 'line one\r\nline two' } });
      expect(ok.response.status).toBe(201);
      expect(ok.data?.title).toBe('pair 😀 tab\there');
    });

    it('refuses NUL in query strings and path parameters (task search, admin filters, phone lookup)', async () => {
      for (const [path, headers] of [
        ['/api/v1/tasks?q=a%00b', asUser()],
        ['/api/v1/users?q=%00', asAdmin()],
        ['/api/v1/users?role=%00', asAdmin()],
        ['/api/v1/users/by-phone/%2B47%00123', asAdmin()],
        ['/api/v1/auth/password/reset?token=%00', {}],
        ['/api/v1/auth/email/verify?token=%00', {}],
      ] as const) {
        const res = await fetch(`${t.baseUrl}${path}`, { headers });
        await expectProblem(res, 400, 'INVALID_CHARACTERS').catch((error: Error) => {
          throw new Error(`${path}: ${error.message}`);
        });
      }
      const del = await fetch(`${t.baseUrl}/api/v1/users?phone=%2B4712%0012`, { method: 'DELETE', headers: asAdmin() });
      await expectProblem(del, 400, 'INVALID_CHARACTERS');
    });

    it('answers /auth/token in RFC 6749 form for refused input too', async () => {
      const res = await fetch(`${t.baseUrl}/api/v1/auth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=password&username=a%00b&password=x',
      });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await res.json()).toEqual({ error: 'invalid_request', error_description: expect.any(String) });
      const deep = await raw('POST', '/api/v1/auth/token', nested(100, 'grant_type'));
      expect(deep.status).toBe(400);
      expect(await deep.json()).toEqual({ error: 'invalid_request', error_description: expect.any(String) });
    });

    it('refuses dates outside the years 0001–9999 with 400, in filters and in bodies', async () => {
      for (const query of ['dueAfter=-271821-04-20', 'dueBefore=%2B275760-09-13T00:00:00Z', 'dueAfter=-000001-01-01']) {
        const res = await fetch(`${t.baseUrl}/api/v1/tasks?${query}`, { headers: asUser() });
        const problem = await expectProblem(res, 400, 'VALIDATION_FAILED');
        expect(problem.errors[0].field).toMatch(/^due(After|Before)$/);
      }
      for (const dueAt of ['-271821-04-20T00:00:00Z', '+275760-09-13T00:00:00.000Z', 8.64e15]) {
        await expectProblem(await raw('POST', '/api/v1/tasks', JSON.stringify({ title: 'far', dueAt }), asUser()), 400, 'VALIDATION_FAILED');
      }
      const task = await user.api.POST('/api/v1/tasks', { body: { title: 'near', dueAt: '9999-12-31T00:00:00Z' } });
      expect(task.response.status).toBe(201);
      await expectProblem(await raw('PATCH', `/api/v1/tasks/${task.data!.id}`, JSON.stringify({ dueAt: '-271821-04-20' }), asUser()), 400, 'VALIDATION_FAILED');
      const audit = await fetch(`${t.baseUrl}/api/v1/audit-events?from=%2B275760-01-01T00:00:00Z`, { headers: asAdmin() });
      await expectProblem(audit, 400, 'VALIDATION_FAILED');
      const inRange = await user.api.GET('/api/v1/tasks', { params: { query: { dueAfter: '0001-01-01T00:00:00Z' as never } } });
      expect(inRange.response.status).toBe(200);
    });

    it('refuses {"username": null} in a profile update with 400', async () => {
      const res = await user.api.PATCH('/api/v1/users/me', { body: { username: null as never } });
      expect(res.response.status).toBe(400);
      expect(res.error).toMatchObject({ code: 'VALIDATION_FAILED', errors: expect.arrayContaining([expect.objectContaining({ field: 'username' })]) });
      expect((await user.api.GET('/api/v1/users/me')).data?.username).toBe(user.user.username);
    });

    it('answers multipart requests without a usable boundary with 400 MALFORMED_MULTIPART', async () => {
      const put = (contentType: string, body: string) =>
        fetch(`${t.baseUrl}/api/v1/users/me/avatar`, { method: 'PUT', headers: { ...asUser(), 'content-type': contentType }, body });
      await expectProblem(await put('multipart/form-data', '--x\r\n\r\n'), 400, 'MALFORMED_MULTIPART');
      await expectProblem(await put('multipart/form-data; boundary=', 'whatever'), 400, 'MALFORMED_MULTIPART');
      await expectProblem(
        await put('multipart/form-data; boundary=abc', '--abc\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n\r\npartial'),
        400,
        'MALFORMED_MULTIPART',
      );
      const upload = await fetch(`${t.baseUrl}/api/v1/uploads/images`, { method: 'POST', headers: { ...asUser(), 'content-type': 'multipart/form-data; charset=utf-8' }, body: 'x' });
      await expectProblem(upload, 400, 'MALFORMED_MULTIPART');
    });
  });

  describe('usernames that read as phone numbers (item 9)', () => {
    it('refuses them at registration, profile update and admin create with 400 USERNAME_LOOKS_LIKE_PHONE', async () => {
      for (const username of ['4792345678', '555-123-4567', '47.92.34.56', '0047-923-456']) {
        const registered = await t.api.POST('/api/v1/auth/register', { body: { username, password: 'a-good-password-4' } });
        expect({ username, status: registered.response.status, code: (registered.error as { code?: string })?.code }).toEqual({ username, status: 400, code: 'USERNAME_LOOKS_LIKE_PHONE' });
      }
      const renamed = await user.api.PATCH('/api/v1/users/me', { body: { username: '4792345679' } });
      expect(renamed.response.status).toBe(400);
      expect(renamed.error).toMatchObject({ code: 'USERNAME_LOOKS_LIKE_PHONE', errors: [{ field: 'username', message: expect.any(String) }] });
      const created = await admin.api.POST('/api/v1/users', { body: { username: '4792345680', password: 'a-good-password-5' } });
      expect(created.response.status).toBe(400);
      expect(created.error).toMatchObject({ code: 'USERNAME_LOOKS_LIKE_PHONE' });
      const patched = await admin.api.PATCH('/api/v1/users/{id}', { params: { path: { id: user.user.id } }, body: { username: '479-234-5681' } });
      expect(patched.error).toMatchObject({ code: 'USERNAME_LOOKS_LIKE_PHONE' });
    });

    it('still accepts short digit names and names with a letter, which sign in', async () => {
      for (const username of ['12345', '4792345678a', 'a4792345678', '4792_345678']) {
        const registered = await t.api.POST('/api/v1/auth/register', { body: { username, password: 'a-good-password-6' } });
        expect({ username, status: registered.response.status }).toEqual({ username, status: 201 });
        const login = await t.api.POST('/api/v1/auth/login', { body: { login: username, password: 'a-good-password-6' } });
        expect({ username, status: login.response.status }).toEqual({ username, status: 200 });
      }
    });
  });
});
