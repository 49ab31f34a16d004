import type { Schemas } from '@identity-task/client';
import { sql } from '../support/db';
import { ADMIN, expectOk, loginAdmin, newUser, newVerifiedUser, uniqueName, WITH_ADMIN } from '../support/factories';
import { browse, FakeGithub, GithubPerson, pkce, TestOidcServer } from '../support/identity-providers';
import { Messaging, startMessaging } from '../support/messaging';
import { codeIn } from '../support/smtp';
import { freePort, startTestApp, TestApp } from '../support/test-app';
import { decodeParts } from '../support/tokens';
import { currentStep, totpAt } from '../support/totp';

const SPA = 'https://spa.example.test/auth/callback';
const SETTINGS = 'https://spa.example.test/settings/linked';
const OTHER = 'https://other.example.test/callback';

type TokenResult = { status: number; body: Record<string, unknown> };

/**
 * Sign-in with external identity providers (issue 17) end to end: the service on real HTTP, a real
 * OpenID Connect server (oidc-provider) and a GitHub stand-in in the test process, and a browser that
 * follows the redirects between them.
 */
describe('Sign-in with external identity providers', () => {
  let t: TestApp;
  let m: Messaging;
  let oidc: TestOidcServer;
  let github: FakeGithub;
  let admin: Awaited<ReturnType<typeof loginAdmin>>;
  let people = 0;

  const appPort = async () => freePort();

  beforeAll(async () => {
    const port = await appPort();
    const base = `http://127.0.0.1:${port}`;
    oidc = await TestOidcServer.start([`${base}/api/v1/auth/providers/oidc/callback`]);
    github = await FakeGithub.start(`${base}/api/v1/auth/providers/github/callback`);
    m = await startMessaging();
    const providers = [
      { id: 'oidc', type: 'oidc', name: 'Test OpenID', issuer: oidc.issuer, clientId: oidc.clientId, clientSecret: oidc.clientSecret },
      { id: 'github', type: 'github', clientId: github.clientId, clientSecret: github.clientSecret, authorizeUrl: `${github.url}/login/oauth/authorize`, tokenUrl: `${github.url}/login/oauth/access_token`, apiUrl: github.url },
    ];
    t = await startTestApp({ port, env: { ...m.env, ...WITH_ADMIN, PUBLIC_BASE_URL: base, AUTH_PROVIDERS: JSON.stringify(providers), AUTH_RATE_LIMIT: '1000000' } });
    admin = await loginAdmin(t);
    expectOk(await admin.api.POST('/api/v1/applications', { body: { clientId: 'spa', name: 'SPA', redirectUris: [SPA, SETTINGS] } }));
    expectOk(await admin.api.POST('/api/v1/applications', { body: { clientId: 'other', name: 'Other', redirectUris: [OTHER, SPA] } }));
  });
  afterAll(async () => {
    await t?.close();
    await m?.stop();
    await oidc?.close();
    await github?.close();
  });

  /** A new person at the OIDC server; `next` signs them in. */
  function oidcPerson(fields: { email?: string; verified?: boolean; username?: string } = {}): { sub: string; email: string } {
    people += 1;
    const sub = `sub-${people}-${Date.now().toString(36)}`;
    const email = fields.email ?? uniqueName('oidc').email;
    oidc.people.set(sub, { email, email_verified: fields.verified ?? true, preferred_username: fields.username ?? `person${people}`, given_name: 'Ada', family_name: 'Lovelace', name: 'Ada Lovelace' });
    oidc.next = sub;
    return { sub, email };
  }

  function githubPerson(fields: { email?: string; verified?: boolean } = {}): GithubPerson {
    people += 1;
    const person = { id: 9_000_000 + people, login: `octo${people}`, name: 'Mona Octocat', emails: [{ email: fields.email ?? uniqueName('gh').email, primary: true, verified: fields.verified ?? true }, { email: uniqueName('gh2').email, primary: false, verified: true }] };
    github.next = person;
    return person;
  }

  /** GET /authorize through the client, without following the redirect. */
  function authorize(provider: string, query: Record<string, string | undefined>, headers: Record<string, string> = {}) {
    return t.api.GET('/api/v1/auth/providers/{id}/authorize', {
      params: { path: { id: provider }, query: query as never },
      headers,
      redirect: 'manual',
      parseAs: 'text',
    });
  }

  /** The browser from "Continue with …" to the application's redirect URI (or the page where it stops). */
  async function signIn(provider: string, options: { clientId?: string; redirectUri?: string; stopAtCallback?: boolean } = {}) {
    const { verifier, challenge } = pkce();
    const state = `app-state-${Math.random().toString(36).slice(2)}`;
    const redirectUri = options.redirectUri ?? SPA;
    const started = await authorize(provider, { client_id: options.clientId ?? 'spa', redirect_uri: redirectUri, state, code_challenge: challenge, code_challenge_method: 'S256' });
    expect(started.response.status).toBe(302);
    const providerUrl = started.response.headers.get('location')!;
    const callbackPrefix = `${t.baseUrl}/api/v1/auth/providers/${provider}/callback`;
    const landed = await browse(providerUrl, (url) => (options.stopAtCallback ? url.href.startsWith(callbackPrefix) : url.href.startsWith(redirectUri)));
    return { landed, verifier, state, redirectUri, params: landed.url.searchParams };
  }

  function token(fields: Record<string, string>): Promise<TokenResult> {
    return t.api
      .POST('/api/v1/auth/token', {
        body: fields as unknown as Schemas['TokenRequestDto'],
        bodySerializer: (body) => new URLSearchParams(body as Record<string, string>).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      })
      .then(({ data, error, response }) => ({ status: response.status, body: (data ?? error) as Record<string, unknown> }));
  }

  const exchange = (code: string, verifier: string, clientId = 'spa', redirectUri = SPA) =>
    token({ grant_type: 'authorization_code', code, code_verifier: verifier, client_id: clientId, redirect_uri: redirectUri });

  /** Signs in through the provider and redeems the code: the token response and the access token's claims. */
  async function signedIn(provider: string) {
    const s = await signIn(provider);
    expect(s.params.get('error')).toBeNull();
    expect(s.params.get('state')).toBe(s.state);
    const result = await exchange(s.params.get('code')!, s.verifier);
    expect(result.status).toBe(200);
    const accessToken = result.body.access_token as string;
    return { accessToken, claims: decodeParts(accessToken).payload, api: t.as(accessToken) };
  }

  const me = async (accessToken: string) => expectOk(await t.as(accessToken).GET('/api/v1/users/me'));
  const identities = async (accessToken: string) => expectOk(await t.as(accessToken).GET('/api/v1/users/me/identities')).items;

  it('lists the configured providers', async () => {
    const listed = expectOk(await t.api.GET('/api/v1/auth/providers'));
    expect(listed.items).toEqual([
      { id: 'oidc', name: 'Test OpenID', type: 'oidc' },
      { id: 'github', name: 'GitHub', type: 'github' },
    ]);
  });

  it('refuses an unknown provider, an unknown client, an unregistered redirect URI (never redirecting) and a missing PKCE challenge', async () => {
    const { challenge } = pkce();
    const base = { client_id: 'spa', redirect_uri: SPA, state: 's', code_challenge: challenge, code_challenge_method: 'S256' };
    const expectRefused = async (res: Awaited<ReturnType<typeof authorize>>, status: number, code: string) => {
      expect(res.response.status).toBe(status);
      expect(res.response.headers.get('location')).toBeNull();
      expect(res.response.headers.get('content-type')).toContain('application/problem+json');
      const body: unknown = res.error ?? res.data;
      expect(typeof body === 'string' ? JSON.parse(body) : body).toMatchObject({ status, code });
    };
    await expectRefused(await authorize('nope', base), 404, 'PROVIDER_NOT_FOUND');
    await expectRefused(await authorize('oidc', { ...base, client_id: 'no-such-app' }), 400, 'REDIRECT_URI_INVALID');
    await expectRefused(await authorize('oidc', { ...base, redirect_uri: 'https://evil.example.test/steal' }), 400, 'REDIRECT_URI_INVALID');
    await expectRefused(await authorize('oidc', { ...base, redirect_uri: `${SPA}/` }), 400, 'REDIRECT_URI_INVALID');
    await expectRefused(await authorize('oidc', { ...base, redirect_uri: OTHER }), 400, 'REDIRECT_URI_INVALID');
    await expectRefused(await authorize('oidc', { ...base, code_challenge: undefined, code_challenge_method: undefined }), 400, 'PKCE_REQUIRED');
    await expectRefused(await authorize('oidc', { ...base, code_challenge_method: 'plain' }), 400, 'PKCE_REQUIRED');

    // A browser gets an error page, still no redirect.
    const page = await authorize('oidc', { ...base, redirect_uri: 'https://evil.example.test/steal' }, { accept: 'text/html' });
    expect(page.response.status).toBe(400);
    expect(page.response.headers.get('location')).toBeNull();
    expect(page.response.headers.get('content-type')).toContain('text/html');
    const html = String(page.error ?? page.data);
    expect(html).toContain('REDIRECT_URI_INVALID');
    expect(html).not.toContain('evil.example.test');
  });

  it('first OIDC sign-in creates an active account without a password; the session is a login like any other', async () => {
    const person = oidcPerson({ username: 'ada.lovelace' });
    const { accessToken, claims } = await signedIn('oidc');
    expect(claims).toMatchObject({ aud: 'spa', roles: ['user'], amr: ['fed'], typ: 'access' });
    const user = await me(accessToken);
    expect(user).toMatchObject({ email: person.email, emailVerified: true, status: 'active', firstName: 'Ada', lastName: 'Lovelace' });
    expect(user.username).toMatch(/^ada\.lovelace/);
    expect(await identities(accessToken)).toEqual([{ provider: 'oidc', subject: person.sub, email: person.email, createdAt: expect.any(String) }]);
    // No password: a password login cannot reach it.
    const login = await t.api.POST('/api/v1/auth/login', { body: { login: person.email, password: 'any-password-at-all' } });
    expect(login.response.status).toBe(401);

    const audit = expectOk(await admin.api.GET('/api/v1/audit-events', { params: { query: { userId: user.id } } })).items.map((e) => e.type);
    expect(audit).toEqual(expect.arrayContaining(['provider.signed_in', 'login.succeeded']));
  });

  it('a second account with the same profile name gets a unique username', async () => {
    oidcPerson({ username: 'twin' });
    const first = await me((await signedIn('oidc')).accessToken);
    oidcPerson({ username: 'twin' });
    const second = await me((await signedIn('oidc')).accessToken);
    expect(new Set([first.username.toLowerCase(), second.username.toLowerCase()]).size).toBe(2);
  });

  it('the next sign-in reaches the same account, even after the email changed at the provider', async () => {
    const person = oidcPerson();
    const first = await me((await signedIn('oidc')).accessToken);
    oidc.people.set(person.sub, { ...oidc.people.get(person.sub), email: uniqueName('moved').email, email_verified: true });
    oidc.next = person.sub;
    const again = await me((await signedIn('oidc')).accessToken);
    expect(again.id).toBe(first.id);
    expect(again.email).toBe(person.email);
  });

  it('links to the account whose verified email the provider asserts as verified, and emails the user', async () => {
    const u = await newVerifiedUser(t);
    oidcPerson({ email: u.user.email!.toUpperCase(), verified: true });
    const { accessToken } = await signedIn('oidc');
    expect((await me(accessToken)).id).toBe(u.user.id);
    expect((await identities(accessToken)).map((i) => i.provider)).toEqual(['oidc']);
    expect((await m.smtp.waitForSubject(u.user.email!, 'A sign-in provider was linked to your account')).text).toContain('oidc');
    const audit = expectOk(await admin.api.GET('/api/v1/audit-events', { params: { query: { userId: u.user.id, type: 'identity.linked' } } })).items;
    expect(audit).toHaveLength(1);
  });

  it('never links or creates when the email is unverified on either side: account_exists', async () => {
    const countByEmail = async (email: string) => Number((await sql<{ n: string }>(t.db.url, `SELECT count(*) AS n FROM users WHERE email = $1`, [email]))[0].n);
    const identitiesOf = async (userId: string) => Number((await sql<{ n: string }>(t.db.url, `SELECT count(*) AS n FROM identities WHERE user_id = $1`, [userId]))[0].n);

    // The provider does not vouch for the address.
    const verifiedHere = await newVerifiedUser(t);
    oidcPerson({ email: verifiedHere.user.email!, verified: false });
    const a = await signIn('oidc');
    expect(a.params.get('error')).toBe('account_exists');
    expect(a.params.get('state')).toBe(a.state);
    expect(a.params.get('code')).toBeNull();

    // The account never proved the address.
    const unverifiedHere = await newUser(t);
    oidcPerson({ email: unverifiedHere.user.email!, verified: true });
    const b = await signIn('oidc');
    expect(b.params.get('error')).toBe('account_exists');

    // Neither side verified it (GitHub's primary address unverified).
    const unverifiedBoth = await newUser(t);
    githubPerson({ email: unverifiedBoth.user.email!, verified: false });
    expect((await signIn('github')).params.get('error')).toBe('account_exists');

    for (const u of [verifiedHere, unverifiedHere, unverifiedBoth]) {
      expect(await countByEmail(u.user.email!)).toBe(1);
      expect(await identitiesOf(u.user.id)).toBe(0);
    }
  });

  it('a new account from an unverified provider email keeps the address unverified', async () => {
    const person = oidcPerson({ verified: false });
    const user = await me((await signedIn('oidc')).accessToken);
    expect(user).toMatchObject({ email: person.email, emailVerified: false, status: 'active' });
  });

  it('denied consent returns to the application with error=access_denied and its state', async () => {
    oidc.next = 'deny';
    const s = await signIn('oidc');
    expect(s.landed.redirected).toBe(true);
    expect(s.params.get('error')).toBe('access_denied');
    expect(s.params.get('state')).toBe(s.state);
    expect(s.params.get('code')).toBeNull();

    github.next = 'deny';
    const g = await signIn('github');
    expect(g.params.get('error')).toBe('access_denied');
    expect(g.params.get('state')).toBe(g.state);
  });

  it('a replayed callback is refused without a redirect', async () => {
    oidcPerson();
    const s = await signIn('oidc', { stopAtCallback: true });
    const query = Object.fromEntries(s.landed.url.searchParams) as { state: string };
    const callback = (q: { state: string }, headers: Record<string, string> = {}) =>
      t.api.GET('/api/v1/auth/providers/{id}/callback', { params: { path: { id: 'oidc' }, query: q }, headers, redirect: 'manual', parseAs: 'text' });
    const first = await callback(query);
    expect(first.response.status).toBe(302);
    expect(new URL(first.response.headers.get('location')!).searchParams.get('code')).toEqual(expect.any(String));
    const replay = await callback(query);
    expect(replay.response.status).toBe(400);
    expect(replay.response.headers.get('location')).toBeNull();
    expect(replay.error).toMatchObject({ code: 'PROVIDER_STATE_INVALID' });
    const forged = await callback({ state: 'made-up' }, { accept: 'text/html' });
    expect(forged.response.status).toBe(400);
    expect(forged.response.headers.get('location')).toBeNull();
    expect(String(forged.error)).toContain('PROVIDER_STATE_INVALID');
  });

  it.each([
    ['signature', { foreignKey: true }],
    ['audience', { claims: (c: Record<string, unknown>) => ({ ...c, aud: 'someone-else' }) }],
    ['nonce', { claims: (c: Record<string, unknown>) => ({ ...c, nonce: 'not-the-nonce' }) }],
    ['expiry', { claims: (c: Record<string, unknown>) => ({ ...c, iat: Math.floor(Date.now() / 1000) - 7200, exp: Math.floor(Date.now() / 1000) - 3600 }) }],
    ['issuer', { claims: (c: Record<string, unknown>) => ({ ...c, iss: 'https://impostor.example.test' }) }],
  ])('an ID token with a tampered %s is refused: no account, no code', async (_what, tamper) => {
    const person = oidcPerson();
    oidc.tamper = tamper;
    const s = await signIn('oidc');
    expect(s.params.get('error')).toBe('server_error');
    expect(s.params.get('state')).toBe(s.state);
    expect(s.params.get('code')).toBeNull();
    expect(oidc.tamper).toBeUndefined(); // the tampered token was really issued
    expect(await sql(t.db.url, `SELECT 1 FROM identities WHERE provider = 'oidc' AND subject = $1`, [person.sub])).toHaveLength(0);
  });

  it('a code works once, only for its client, redirect URI and verifier, and only for 60 seconds', async () => {
    oidcPerson();
    const invalid = { status: 400, body: { error: 'invalid_grant', error_description: expect.any(String) } };

    const used = await signIn('oidc');
    expect((await exchange(used.params.get('code')!, used.verifier)).status).toBe(200);
    expect(await exchange(used.params.get('code')!, used.verifier)).toEqual(invalid);

    // A code given to another application (the same redirect URI registered there too).
    const foreign = await signIn('oidc', { clientId: 'other', redirectUri: SPA });
    expect(await exchange(foreign.params.get('code')!, foreign.verifier, 'spa', SPA)).toEqual(invalid);

    const wrongUri = await signIn('oidc');
    expect(await exchange(wrongUri.params.get('code')!, wrongUri.verifier, 'spa', SETTINGS)).toEqual(invalid);

    const wrongVerifier = await signIn('oidc');
    expect(await exchange(wrongVerifier.params.get('code')!, pkce().verifier)).toEqual(invalid);
    // The failed attempt spent the code: the right verifier comes too late.
    expect(await exchange(wrongVerifier.params.get('code')!, wrongVerifier.verifier)).toEqual(invalid);

    const expired = await signIn('oidc');
    const code = expired.params.get('code')!;
    const rows = await sql<{ ttl: number }>(t.db.url, `SELECT extract(epoch FROM expires_at - created_at)::int AS ttl FROM provider_codes ORDER BY created_at DESC LIMIT 1`);
    expect(rows[0].ttl).toBe(60);
    await sql(t.db.url, `UPDATE provider_codes SET expires_at = now() - interval '1 second' WHERE used_at IS NULL`);
    expect(await exchange(code, expired.verifier)).toEqual(invalid);

    expect(await exchange('never-issued', pkce().verifier)).toEqual(invalid);
    expect(await token({ grant_type: 'authorization_code', code: 'x' })).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
  });

  it('GitHub: the verified primary email makes the account, the numeric id keeps it', async () => {
    const person = githubPerson();
    const { accessToken, claims } = await signedIn('github');
    expect(claims).toMatchObject({ aud: 'spa', amr: ['fed'] });
    const user = await me(accessToken);
    expect(user).toMatchObject({ email: person.emails[0].email, emailVerified: true, firstName: 'Mona', lastName: 'Octocat' });
    expect(user.username).toMatch(new RegExp(`^${person.login}`));
    github.next = { ...person, login: 'renamed', emails: [{ email: uniqueName('new').email, primary: true, verified: true }] };
    expect((await me((await signedIn('github')).accessToken)).id).toBe(user.id);
  });

  it('links a provider while signed in; a provider account linked elsewhere is identity_in_use', async () => {
    const u = await newUser(t, { clientId: 'spa' });
    const person = githubPerson();
    const started = expectOk(await u.api.POST('/api/v1/users/me/identities/{provider}', { params: { path: { provider: 'github' } }, body: { redirectUri: SETTINGS } }));
    const landed = await browse(started.authorizeUrl, (url) => url.href.startsWith(SETTINGS));
    expect(landed.url.searchParams.get('linked')).toBe('github');
    expect(await identities(u.tokens.accessToken)).toEqual([{ provider: 'github', subject: String(person.id), email: person.emails[0].email, createdAt: expect.any(String) }]);

    // The same GitHub account, signing in, reaches the linked account.
    github.next = person;
    expect((await me((await signedIn('github')).accessToken)).id).toBe(u.user.id);

    const other = await newUser(t, { clientId: 'spa' });
    github.next = person;
    const taken = expectOk(await other.api.POST('/api/v1/users/me/identities/{provider}', { params: { path: { provider: 'github' } }, body: { redirectUri: SETTINGS } }));
    const refused = await browse(taken.authorizeUrl, (url) => url.href.startsWith(SETTINGS));
    expect(refused.url.searchParams.get('error')).toBe('identity_in_use');
    expect(await identities(other.tokens.accessToken)).toEqual([]);

    // Only the token's application's registered redirect URIs; unknown providers are 404.
    const bad = await u.api.POST('/api/v1/users/me/identities/{provider}', { params: { path: { provider: 'github' } }, body: { redirectUri: 'https://evil.example.test/' } });
    expect(bad.response.status).toBe(400);
    expect(bad.error).toMatchObject({ code: 'REDIRECT_URI_INVALID' });
    const unknown = await u.api.POST('/api/v1/users/me/identities/{provider}', { params: { path: { provider: 'nope' } }, body: { redirectUri: SETTINGS } });
    expect(unknown.error).toMatchObject({ code: 'PROVIDER_NOT_FOUND' });
  });

  it('unlinking never removes the last way to sign in; a provider-made account can set a password by forgot-password', async () => {
    const person = oidcPerson();
    const { accessToken, api } = await signedIn('oidc');
    const unlink = (provider: string) => api.DELETE('/api/v1/users/me/identities/{provider}', { params: { path: { provider } } });
    const last = await unlink('oidc');
    expect(last.response.status).toBe(409);
    expect(last.error).toMatchObject({ code: 'LAST_SIGN_IN_METHOD' });
    expect((await unlink('github')).error).toMatchObject({ code: 'IDENTITY_NOT_FOUND' });

    // A second identity: either one may go, not both.
    githubPerson();
    const started = expectOk(await api.POST('/api/v1/users/me/identities/{provider}', { params: { path: { provider: 'github' } }, body: { redirectUri: SETTINGS } }));
    expect((await browse(started.authorizeUrl, (url) => url.href.startsWith(SETTINGS))).url.searchParams.get('linked')).toBe('github');
    expect((await unlink('github')).response.status).toBe(204);
    expect((await unlink('oidc')).error).toMatchObject({ code: 'LAST_SIGN_IN_METHOD' });

    // A password through forgot-password: then the identity may go.
    expect((await t.api.POST('/api/v1/auth/password/forgot', { body: { login: person.email } })).response.status).toBe(202);
    const mail = await m.smtp.waitForSubject(person.email, 'Reset your password');
    const newPassword = 'a-brand-new-password-42';
    expect((await t.api.POST('/api/v1/auth/password/reset', { body: { login: person.email, code: codeIn(mail.text), newPassword } })).response.status).toBe(204);
    const relogged = expectOk(await t.api.POST('/api/v1/auth/login', { body: { login: person.email, password: newPassword } }));
    const unlinked = await t.as(relogged.accessToken).DELETE('/api/v1/users/me/identities/{provider}', { params: { path: { provider: 'oidc' } } });
    expect(unlinked.response.status).toBe(204);
    expect(await identities(relogged.accessToken)).toEqual([]);
    const audit = expectOk(await admin.api.GET('/api/v1/audit-events', { params: { query: { userId: (await me(relogged.accessToken)).id, type: 'identity.unlinked' } } })).items;
    expect(audit.map((e) => e.data)).toEqual(expect.arrayContaining([expect.objectContaining({ provider: 'github' }), expect.objectContaining({ provider: 'oidc' })]));
    void accessToken;
  });

  it('a user with two-factor on gets mfa_required from the code exchange, then finishes with a TOTP code', async () => {
    oidcPerson();
    const { api } = await signedIn('oidc');
    // No password: a sign-in within the last five minutes stands in for it.
    const enrolment = expectOk(await api.POST('/api/v1/auth/mfa/totp', { body: { name: 'Phone' } }));
    const step = currentStep();
    expectOk(await api.POST('/api/v1/auth/mfa/totp/{factorId}/confirm', { params: { path: { factorId: enrolment.factorId } }, body: { code: totpAt(enrolment.secret, step) } }));

    const s = await signIn('oidc');
    const refused = await exchange(s.params.get('code')!, s.verifier);
    expect(refused).toEqual({ status: 403, body: { error: 'mfa_required', error_description: expect.any(String), mfa_token: expect.stringMatching(/^mfa_/) } });
    const verified = expectOk(await t.api.POST('/api/v1/auth/mfa/verify', { body: { mfaToken: refused.body.mfa_token as string, method: 'totp', code: totpAt(enrolment.secret, step + 1) } }));
    expect(decodeParts(verified.accessToken).payload).toMatchObject({ aud: 'spa', amr: ['fed', 'mfa', 'otp'] });
  });

  it('deleting a user deletes their identities: the provider account then makes a new one', async () => {
    const person = oidcPerson();
    const first = await me((await signedIn('oidc')).accessToken);
    expect((await admin.api.DELETE('/api/v1/users/{id}', { params: { path: { id: first.id } } })).response.status).toBe(204);
    expect(await sql(t.db.url, `SELECT 1 FROM identities WHERE user_id = $1`, [first.id])).toHaveLength(0);
    oidc.next = person.sub;
    const second = await me((await signedIn('oidc')).accessToken);
    expect(second.id).not.toBe(first.id);
  });

  it('applications carry their exact redirect URIs; bad ones are refused', async () => {
    const created = expectOk(await admin.api.POST('/api/v1/applications', { body: { clientId: 'mobile', name: 'Mobile', redirectUris: ['com.example.mobile:/oauth2redirect', 'http://localhost:5173/callback'] } }));
    expect(created.redirectUris).toEqual(['com.example.mobile:/oauth2redirect', 'http://localhost:5173/callback']);
    const patched = expectOk(await admin.api.PATCH('/api/v1/applications/{id}', { params: { path: { id: created.id } }, body: { redirectUris: ['com.example.mobile:/oauth2redirect'] } }));
    expect(patched.redirectUris).toEqual(['com.example.mobile:/oauth2redirect']);
    for (const bad of ['javascript:alert(1)', 'https://app.example.test/cb#frag', '/relative', 'https://user:pw@app.example.test/cb']) {
      const res = await admin.api.PATCH('/api/v1/applications/{id}', { params: { path: { id: created.id } }, body: { redirectUris: [bad] } });
      expect(res.response.status).toBe(400);
      expect(res.error).toMatchObject({ code: 'REDIRECT_URI_INVALID' });
    }
    const { challenge } = pkce();
    const started = await authorize('github', { client_id: 'mobile', redirect_uri: 'com.example.mobile:/oauth2redirect', state: 's', code_challenge: challenge, code_challenge_method: 'S256' });
    expect(started.response.status).toBe(302);
    expect(started.response.headers.get('location')).toContain(`${github.url}/login/oauth/authorize`);
    void ADMIN;
  });
});
