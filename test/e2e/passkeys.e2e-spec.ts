import type { ApiClient } from '@identity-task/client';
import { CleanupService } from '@app/persistence';
import { sql } from '../support/db';
import { expectOk, loginAdmin, newUser, TestUser, WITH_ADMIN } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';
import { decodeParts } from '../support/tokens';
import { currentStep, totpAt } from '../support/totp';
import { AuthenticationJson, CeremonyOptions, SoftAuthenticator } from '../support/webauthn';

type Result = { data?: unknown; error?: unknown; response: Response };
const problem = (r: Result) => r.error as { code?: string; mfaToken?: string; methods?: string[]; attemptsLeft?: number };
function expectProblem(r: Result, status: number, code: string): void {
  expect({ status: r.response.status, code: problem(r)?.code }).toEqual({ status, code });
  expect(r.response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
}
const amrOf = (accessToken: string) => decodeParts(accessToken).payload.amr;

/** PUBLIC_BASE_URL's host is the relying party; its origin and CORS_ORIGINS are the accepted origins (the defaults). */
const RP_ID = 'example.test';
const ORIGIN = 'https://example.test';
const APP_ORIGIN = 'https://app.example.test';

describe('passkeys (WebAuthn): registration, discoverable sign-in, second factor', () => {
  let t: TestApp;
  let admin: ApiClient;
  beforeAll(async () => {
    t = await startTestApp({ env: { ...WITH_ADMIN, PUBLIC_BASE_URL: ORIGIN, CORS_ORIGINS: APP_ORIGIN, WEBAUTHN_RP_ID: undefined, WEBAUTHN_ORIGINS: undefined, MFA_MAX_ATTEMPTS: '5' } });
    admin = (await loginAdmin(t)).api;
  });
  afterAll(() => t.close());

  interface WithPasskey extends TestUser {
    authenticator: SoftAuthenticator;
    factorId: string;
    recoveryCodes: string[];
  }

  const registrationOptions = async (u: TestUser) => expectOk(await u.api.POST('/api/v1/auth/passkeys/registration/options'));
  const register = (u: TestUser, credential: unknown, name?: string) =>
    u.api.POST('/api/v1/auth/passkeys/registration', { body: { credential: credential as never, name } });

  /** A user with a registered passkey (an authenticator with a counter unless told otherwise). */
  async function withPasskey(authenticator = new SoftAuthenticator(ORIGIN)): Promise<WithPasskey> {
    const u = await newUser(t);
    const options = await registrationOptions(u);
    const registered = expectOk(await register(u, authenticator.create(options), 'Laptop'));
    return { ...u, authenticator, factorId: registered.factor.id, recoveryCodes: registered.recoveryCodes };
  }

  const authOptions = async (mfaToken?: string) => expectOk(await t.api.POST('/api/v1/auth/passkeys/authentication/options', { body: mfaToken ? { mfaToken } : {} }));
  const authenticate = (challengeToken: string, credential: AuthenticationJson, extra: { mfaToken?: string; clientId?: string } = {}) =>
    t.api.POST('/api/v1/auth/passkeys/authentication', { body: { challengeToken, credential: credential as never, ...extra } });
  /** A discoverable sign-in: options, the authenticator's answer, the answer sent. */
  async function signIn(a: SoftAuthenticator, opts: CeremonyOptions & { userHandle?: string | null } = {}, extra: { mfaToken?: string; clientId?: string } = {}) {
    const { challengeToken, options } = await authOptions(extra.mfaToken);
    return authenticate(challengeToken, a.get(options, opts), extra);
  }
  const audit = async (userId: string) => (await sql<{ type: string; data: Record<string, unknown> }>(t.db.url, `SELECT type, data FROM audit_events WHERE subject_id = $1 ORDER BY at, id`, [userId]));

  it('registers a passkey: creation options for this RP, the verified answer becomes a factor, two-factor turns on with 10 recovery codes', async () => {
    const u = await newUser(t);
    expectProblem(await t.api.POST('/api/v1/auth/passkeys/registration/options'), 401, 'UNAUTHENTICATED');
    const options = await registrationOptions(u);
    expect(options.rp).toEqual({ id: RP_ID, name: expect.any(String) });
    expect(options.user.id).toBe(Buffer.from(u.user.id.replace(/-/g, ''), 'hex').toString('base64url'));
    expect(options.user.name).toBe(u.user.email);
    expect(Buffer.from(options.challenge, 'base64url')).toHaveLength(32);
    expect(options.pubKeyCredParams.map((p) => p.alg)).toContain(-7);
    expect(options).toMatchObject({ attestation: 'none', authenticatorSelection: { residentKey: 'required', userVerification: 'preferred' }, excludeCredentials: [] });

    const a = new SoftAuthenticator(ORIGIN);
    const registered = expectOk(await register(u, a.create(options), 'MacBook'));
    expect(registered.factor).toEqual({ id: expect.any(String), type: 'webauthn', name: 'MacBook', createdAt: expect.any(String), lastUsedAt: null });
    expect(registered.recoveryCodes).toHaveLength(10);
    const list = expectOk(await u.api.GET('/api/v1/auth/mfa/factors'));
    expect(list).toMatchObject({ items: [{ id: registered.factor.id, type: 'webauthn', name: 'MacBook' }], recoveryCodesLeft: 10 });
    expect(expectOk(await u.api.GET('/api/v1/users/me')).mfaEnabled).toBe(true);
    const [row] = await sql<{ credential_id: Buffer; sign_count: string }>(t.db.url, `SELECT credential_id, sign_count FROM mfa_factors WHERE id = $1`, [registered.factor.id]);
    expect(row.credential_id.equals(a.credentialId)).toBe(true);

    // The next options exclude it; a second passkey adds no recovery codes.
    const again = await registrationOptions(u);
    expect(again.excludeCredentials).toEqual([{ id: a.id, type: 'public-key', transports: ['internal'] }]);
    const second = expectOk(await register(u, new SoftAuthenticator(ORIGIN).create(again)));
    expect(second).toMatchObject({ factor: { type: 'webauthn', name: 'Passkey' }, recoveryCodes: [] });

    const types = (await audit(u.user.id)).map((e) => e.type);
    expect(types.filter((x) => x === 'passkey.registered')).toHaveLength(2);
    expect(types).toEqual(expect.arrayContaining(['mfa.factor_added', 'mfa.enabled']));
    const mails = await sql<{ template: string }>(t.db.url, `SELECT template FROM notifications WHERE recipient = $1 AND template = 'mfa_factor_added'`, [u.user.email]);
    expect(mails).toHaveLength(2);
  });

  it('refuses bad registrations with 400 PASSKEY_INVALID: replayed, wrong origin, wrong RP, expired or foreign challenge, a credential already registered', async () => {
    const u = await newUser(t);
    const other = await newUser(t);
    const a = new SoftAuthenticator(ORIGIN);
    const opts1 = await registrationOptions(u);
    expectProblem(await register(u, a.create(opts1, { origin: 'https://evil.example' })), 400, 'PASSKEY_INVALID');
    // The refused attempt used the challenge up.
    expectProblem(await register(u, a.create(opts1)), 400, 'PASSKEY_INVALID');
    expectProblem(await register(u, a.create(await registrationOptions(u), { rpId: 'evil.example' })), 400, 'PASSKEY_INVALID');
    expectProblem(await register(u, a.create(await registrationOptions(u), { type: 'webauthn.get' })), 400, 'PASSKEY_INVALID');
    expectProblem(await register(u, a.create(await registrationOptions(u), { challenge: Buffer.alloc(32, 7).toString('base64url') })), 400, 'PASSKEY_INVALID');
    // Another user's challenge.
    expectProblem(await register(u, a.create(await registrationOptions(other))), 400, 'PASSKEY_INVALID');
    // Expired (5 minutes).
    const stale = await registrationOptions(u);
    await sql(t.db.url, `UPDATE webauthn_challenges SET expires_at = now() - interval '1 second' WHERE challenge = $1`, [stale.challenge]);
    expectProblem(await register(u, a.create(stale)), 400, 'PASSKEY_INVALID');
    // A broken attestation object.
    const broken = a.create(await registrationOptions(u));
    broken.response.attestationObject = broken.response.attestationObject.slice(0, 40);
    expectProblem(await register(u, broken), 400, 'PASSKEY_INVALID');
    expect(expectOk(await u.api.GET('/api/v1/auth/mfa/factors')).items).toEqual([]);

    const ok = a.create(await registrationOptions(u));
    expectOk(await register(u, ok));
    // Replayed as it is, and the same credential registered again (to this account or another).
    expectProblem(await register(u, ok), 400, 'PASSKEY_INVALID');
    expectProblem(await register(u, a.create(await registrationOptions(u))), 400, 'PASSKEY_INVALID');
    expectProblem(await register(other, a.create(await registrationOptions(other))), 400, 'PASSKEY_INVALID');
    expect(expectOk(await u.api.GET('/api/v1/auth/mfa/factors')).items).toHaveLength(1);
    expect(expectOk(await other.api.GET('/api/v1/auth/mfa/factors')).items).toHaveLength(0);

    // Malformed shapes are validation errors, not 500s.
    for (const credential of [null, 'text', {}, { ...ok, response: 'x' }, { ...ok, type: 'password' }, { ...ok, id: 'not base64url!' }, { ...ok, extra: 1 }]) {
      const r = await register(u, credential);
      expect(r.response.status).toBe(400);
    }
  });

  it('signs in with a discoverable passkey and user verification: a session with amr hwk+mfa, kept by refresh and shown by introspection', async () => {
    const u = await withPasskey();
    const { challengeToken, options } = await authOptions();
    expect(challengeToken).toMatch(/^pkc_[A-Za-z0-9_-]{43}$/);
    expect(options).toMatchObject({ rpId: RP_ID, userVerification: 'preferred' });
    expect(options.allowCredentials ?? []).toEqual([]);
    const pair = expectOk(await authenticate(challengeToken, u.authenticator.get(options)));
    expect(decodeParts(pair.accessToken).payload).toMatchObject({ sub: u.user.id, amr: ['hwk', 'mfa'] });
    const refreshed = expectOk(await t.api.POST('/api/v1/auth/refresh', { body: { refreshToken: pair.refreshToken } }));
    expect(amrOf(refreshed.accessToken)).toEqual(['hwk', 'mfa']);
    const me = t.as(refreshed.accessToken);
    expect(expectOk(await me.POST('/api/v1/auth/introspect', { body: { token: refreshed.accessToken } }))).toMatchObject({ active: true, amr: ['hwk', 'mfa'] });
    expect(expectOk(await me.GET('/api/v1/users/me')).id).toBe(u.user.id);

    // From another accepted origin (CORS_ORIGINS), and for a named application.
    const app = expectOk(await admin.POST('/api/v1/applications', { body: { clientId: `pk-app-${Date.now()}`, name: 'Passkey app' } }));
    const fromApp = expectOk(await signIn(u.authenticator, { origin: APP_ORIGIN }, { clientId: app.clientId }));
    expect(decodeParts(fromApp.accessToken).payload.aud).toBe(app.clientId);
    expectProblem(await signIn(u.authenticator, {}, { clientId: 'no-such-client' }), 400, 'UNKNOWN_CLIENT');

    const [factor] = await sql<{ sign_count: string; last_used_at: Date | null }>(t.db.url, `SELECT sign_count, last_used_at FROM mfa_factors WHERE id = $1`, [u.factorId]);
    // The counters of the two sign-ins (the refused one for an unknown client was not recorded).
    expect(Number(factor.sign_count)).toBe(2);
    expect(factor.last_used_at).not.toBeNull();
    const events = await audit(u.user.id);
    expect(events.filter((e) => e.type === 'passkey.signed_in').map((e) => e.data)).toContainEqual(expect.objectContaining({ factorId: u.factorId, userVerified: true, secondFactor: false }));
    expect(events.map((e) => e.type)).toContain('login.succeeded');
  });

  it('refuses with 401 PASSKEY_INVALID: wrong origin, wrong RP ID hash, bad signature, wrong type, unknown credential, another account’s user handle', async () => {
    const u = await withPasskey();
    const v = await withPasskey();
    expectProblem(await signIn(u.authenticator, { origin: 'https://evil.example' }), 401, 'PASSKEY_INVALID');
    expectProblem(await signIn(u.authenticator, { origin: 'http://example.test' }), 401, 'PASSKEY_INVALID');
    expectProblem(await signIn(u.authenticator, { rpId: 'evil.example' }), 401, 'PASSKEY_INVALID');
    expectProblem(await signIn(u.authenticator, { type: 'webauthn.create' }), 401, 'PASSKEY_INVALID');
    const { challengeToken, options } = await authOptions();
    const tampered = u.authenticator.get(options);
    const sig = Buffer.from(tampered.response.signature, 'base64url');
    sig[sig.length - 1] ^= 0x01;
    tampered.response.signature = sig.toString('base64url');
    expectProblem(await authenticate(challengeToken, tampered), 401, 'PASSKEY_INVALID');
    // A credential this service never registered.
    expectProblem(await signIn(new SoftAuthenticator(ORIGIN)), 401, 'PASSKEY_INVALID');
    // The authenticator names another account than the credential's owner.
    expectProblem(await signIn(u.authenticator, { userHandle: v.authenticator.userHandle }), 401, 'PASSKEY_INVALID');
    // Without a user handle (some authenticators omit it) the credential still names its owner.
    expect(decodeParts(expectOk(await signIn(u.authenticator, { userHandle: null })).accessToken).payload.sub).toBe(u.user.id);
    const failures = (await audit(u.user.id)).filter((e) => e.type === 'passkey.failed');
    expect(failures.length).toBeGreaterThanOrEqual(5);
    expect(failures.every((e) => e.data.reason === 'verification')).toBe(true);
  });

  it('a challenge is used once and lives 5 minutes: replayed answers and reused or expired challengeTokens are 401', async () => {
    const u = await withPasskey();
    const { challengeToken, options } = await authOptions();
    const answer = u.authenticator.get(options);
    expectOk(await authenticate(challengeToken, answer));
    expectProblem(await authenticate(challengeToken, answer), 401, 'PASSKEY_INVALID');
    // A fresh signature over the used challenge.
    expectProblem(await authenticate(challengeToken, u.authenticator.get(options)), 401, 'PASSKEY_INVALID');
    // The answer to one challenge with another challengeToken.
    const next = await authOptions();
    expectProblem(await authenticate(next.challengeToken, u.authenticator.get(options)), 401, 'PASSKEY_INVALID');
    expectProblem(await authenticate('pkc_unknown', u.authenticator.get(options)), 401, 'PASSKEY_INVALID');

    const late = await authOptions();
    await sql(t.db.url, `UPDATE webauthn_challenges SET expires_at = now() - interval '1 second' WHERE challenge = $1`, [late.options.challenge]);
    expectProblem(await authenticate(late.challengeToken, u.authenticator.get(late.options)), 401, 'PASSKEY_INVALID');

    // The cleanup job removes expired challenges.
    await t.app.get(CleanupService).runOnce();
    expect(await sql(t.db.url, `SELECT 1 FROM webauthn_challenges WHERE challenge = $1`, [late.options.challenge])).toHaveLength(0);
  });

  it('enforces the signature counter: a clone whose counter does not go up is refused and audited; authenticators without a counter keep working', async () => {
    const u = await withPasskey();
    expectOk(await signIn(u.authenticator, { counter: 5 }));
    expectProblem(await signIn(u.authenticator, { counter: 5 }), 401, 'PASSKEY_INVALID');
    expectProblem(await signIn(u.authenticator, { counter: 3 }), 401, 'PASSKEY_INVALID');
    expectProblem(await signIn(u.authenticator, { counter: 0 }), 401, 'PASSKEY_INVALID');
    const regressions = (await audit(u.user.id)).filter((e) => e.type === 'passkey.failed' && e.data.reason === 'counter_regressed');
    expect(regressions.map((e) => e.data.signCount)).toEqual([5, 3, 0]);
    expectOk(await signIn(u.authenticator, { counter: 6 }));

    const noCounter = await withPasskey(new SoftAuthenticator(ORIGIN, false));
    expectOk(await signIn(noCounter.authenticator));
    expectOk(await signIn(noCounter.authenticator));
    // Once an authenticator showed a counter, 0 is a regression.
    expectOk(await signIn(noCounter.authenticator, { counter: 1 }));
    expectProblem(await signIn(noCounter.authenticator), 401, 'PASSKEY_INVALID');
  });

  it('without user verification a passkey is one factor: 403 MFA_REQUIRED, finished with another factor (amr hwk+mfa+otp), never with the same passkey', async () => {
    const u = await withPasskey();
    const onlyPasskey = await signIn(u.authenticator, { uv: false });
    expectProblem(onlyPasskey, 403, 'MFA_REQUIRED');
    expect(problem(onlyPasskey).methods).toEqual(['recovery_code']);
    const token = problem(onlyPasskey).mfaToken!;
    expectProblem(await t.api.POST('/api/v1/auth/passkeys/authentication/options', { body: { mfaToken: token } }), 400, 'MFA_METHOD_NOT_AVAILABLE');
    const pair = expectOk(await t.api.POST('/api/v1/auth/mfa/verify', { body: { mfaToken: token, method: 'recovery_code', code: u.recoveryCodes[0] } }));
    expect(amrOf(pair.accessToken)).toEqual(['hwk', 'mfa', 'otp']);

    // With an authenticator app as well: TOTP is offered and finishes the sign-in.
    const enrolment = expectOk(await u.api.POST('/api/v1/auth/mfa/totp', { body: { password: u.password } }));
    const step = currentStep();
    expectOk(await u.api.POST('/api/v1/auth/mfa/totp/{factorId}/confirm', { params: { path: { factorId: enrolment.factorId } }, body: { code: totpAt(enrolment.secret, step) } }));
    const again = await signIn(u.authenticator, { uv: false });
    expectProblem(again, 403, 'MFA_REQUIRED');
    expect(problem(again).methods).toEqual(['totp', 'recovery_code']);
    const viaTotp = expectOk(await t.api.POST('/api/v1/auth/mfa/verify', { body: { mfaToken: problem(again).mfaToken!, method: 'totp', code: totpAt(enrolment.secret, step + 1) } }));
    expect(amrOf(viaTotp.accessToken)).toEqual(['hwk', 'mfa', 'otp']);

    // A second passkey can be the second factor of the first; the first cannot be its own.
    const other = new SoftAuthenticator(ORIGIN);
    expectOk(await register(u, other.create(await registrationOptions(u))));
    const third = await signIn(u.authenticator, { uv: false });
    expect(problem(third).methods).toEqual(['totp', 'webauthn', 'recovery_code']);
    const mfaToken = problem(third).mfaToken!;
    const second = await authOptions(mfaToken);
    expect(second.options.allowCredentials).toEqual([{ id: other.id, type: 'public-key', transports: ['internal'] }]);
    expectProblem(await authenticate(second.challengeToken, u.authenticator.get(second.options, { uv: false }), { mfaToken }), 401, 'PASSKEY_INVALID');
    const next = await authOptions(mfaToken);
    const done = expectOk(await authenticate(next.challengeToken, other.get(next.options, { uv: false }), { mfaToken }));
    expect(amrOf(done.accessToken)).toEqual(['hwk', 'mfa']);
  });

  it('is the second factor of a password sign-in: methods include webauthn, options list the user’s passkeys, amr pwd+mfa+hwk', async () => {
    const u = await withPasskey();
    const login = () => t.api.POST('/api/v1/auth/login', { body: { login: u.user.username, password: u.password } });
    const first = await login();
    expectProblem(first, 403, 'MFA_REQUIRED');
    expect(problem(first).methods).toEqual(['webauthn', 'recovery_code']);
    const mfaToken = problem(first).mfaToken!;
    const { challengeToken, options } = await authOptions(mfaToken);
    expect(options.allowCredentials).toEqual([{ id: u.authenticator.id, type: 'public-key', transports: ['internal'] }]);
    // The challenge belongs to this mfaToken: not usable without it.
    expectProblem(await authenticate(challengeToken, u.authenticator.get(options)), 401, 'PASSKEY_INVALID');
    const again = await authOptions(mfaToken);
    // User presence is enough for a second factor.
    const pair = expectOk(await authenticate(again.challengeToken, u.authenticator.get(again.options, { uv: false }), { mfaToken }));
    expect(amrOf(pair.accessToken)).toEqual(['pwd', 'mfa', 'hwk']);
    // The mfaToken is used up.
    expectProblem(await t.api.POST('/api/v1/auth/passkeys/authentication/options', { body: { mfaToken } }), 401, 'MFA_TOKEN_INVALID');
    const events = await audit(u.user.id);
    expect(events.filter((e) => e.type === 'mfa.succeeded').map((e) => e.data.method)).toEqual(['webauthn']);
    expect(events.filter((e) => e.type === 'passkey.signed_in').map((e) => e.data.secondFactor)).toEqual([true]);

    // A discoverable challenge cannot finish an mfaToken, nor an mfaToken's challenge another mfaToken.
    const token2 = problem(await login()).mfaToken!;
    const token3 = problem(await login()).mfaToken!;
    const loose = await authOptions();
    expectProblem(await authenticate(loose.challengeToken, u.authenticator.get(loose.options), { mfaToken: token2 }), 401, 'PASSKEY_INVALID');
    const bound = await authOptions(token3);
    expectProblem(await authenticate(bound.challengeToken, u.authenticator.get(bound.options), { mfaToken: token2 }), 401, 'PASSKEY_INVALID');
    expectProblem(await authenticate((await authOptions(token2)).challengeToken, u.authenticator.get(loose.options), { mfaToken: 'mfa_unknown' }), 401, 'MFA_TOKEN_INVALID');
    expectProblem(await t.api.POST('/api/v1/auth/passkeys/authentication/options', { body: { mfaToken: 'mfa_unknown' } }), 401, 'MFA_TOKEN_INVALID');
  });

  it('a foreign passkey does not finish another user’s sign-in: 401, an attempt of the mfaToken and a failed login', async () => {
    const a = await withPasskey();
    const b = await withPasskey();
    const first = await t.api.POST('/api/v1/auth/login', { body: { login: a.user.username, password: a.password } });
    const mfaToken = problem(first).mfaToken!;
    const o1 = await authOptions(mfaToken);
    expectProblem(await authenticate(o1.challengeToken, b.authenticator.get(o1.options), { mfaToken }), 401, 'PASSKEY_INVALID');
    const o2 = await authOptions(mfaToken);
    expectProblem(await authenticate(o2.challengeToken, new SoftAuthenticator(ORIGIN).get(o2.options), { mfaToken }), 401, 'PASSKEY_INVALID');
    const o3 = await authOptions(mfaToken);
    expectProblem(await authenticate(o3.challengeToken, a.authenticator.get(o3.options, { origin: 'https://evil.example' }), { mfaToken }), 401, 'PASSKEY_INVALID');
    const [challenge] = await sql<{ attempts: number }>(t.db.url, `SELECT attempts FROM mfa_challenges WHERE user_id = $1`, [a.user.id]);
    expect(challenge.attempts).toBe(3);
    const [failures] = await sql<{ failures: number }>(t.db.url, `SELECT failures FROM login_failures WHERE key = $1`, [`user:${a.user.id}`]);
    expect(failures.failures).toBeGreaterThanOrEqual(3);
    expect((await audit(a.user.id)).filter((e) => e.type === 'mfa.failed').map((e) => e.data.method)).toEqual(['webauthn', 'webauthn', 'webauthn']);
    // B's passkey is untouched and A's own finishes the sign-in.
    const o4 = await authOptions(mfaToken);
    expect(amrOf(expectOk(await authenticate(o4.challengeToken, a.authenticator.get(o4.options), { mfaToken })).accessToken)).toEqual(['pwd', 'mfa', 'hwk']);
    expect(decodeParts(expectOk(await signIn(b.authenticator)).accessToken).payload.sub).toBe(b.user.id);
  });

  it('renames and removes a passkey: removed, it no longer signs in; the last one turns two-factor off', async () => {
    const u = await withPasskey();
    const other = await newUser(t);
    const renamed = expectOk(await u.api.PATCH('/api/v1/auth/mfa/factors/{id}', { params: { path: { id: u.factorId } }, body: { name: 'YubiKey 5C' } }));
    expect(renamed).toMatchObject({ id: u.factorId, type: 'webauthn', name: 'YubiKey 5C' });
    expectProblem(await other.api.PATCH('/api/v1/auth/mfa/factors/{id}', { params: { path: { id: u.factorId } }, body: { name: 'Mine' } }), 404, 'FACTOR_NOT_FOUND');
    expect((await u.api.PATCH('/api/v1/auth/mfa/factors/{id}', { params: { path: { id: u.factorId } }, body: { name: '   ' } })).response.status).toBe(400);

    expectProblem(await other.api.DELETE('/api/v1/auth/mfa/factors/{id}', { params: { path: { id: u.factorId } }, body: { password: other.password } }), 404, 'FACTOR_NOT_FOUND');
    expect((await u.api.DELETE('/api/v1/auth/mfa/factors/{id}', { params: { path: { id: u.factorId } }, body: { password: u.password } })).response.status).toBe(204);
    expectProblem(await signIn(u.authenticator), 401, 'PASSKEY_INVALID');
    expect(expectOk(await u.api.GET('/api/v1/users/me')).mfaEnabled).toBe(false);
    expect(amrOf(expectOk(await t.api.POST('/api/v1/auth/login', { body: { login: u.user.username, password: u.password } })).accessToken)).toEqual(['pwd']);
    const events = await audit(u.user.id);
    expect(events.filter((e) => e.type === 'passkey.removed').map((e) => e.data)).toEqual([{ factorId: u.factorId, name: 'YubiKey 5C' }]);
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['mfa.factor_removed', 'mfa.disabled']));
    const mails = await sql<{ template: string }>(t.db.url, `SELECT template FROM notifications WHERE recipient = $1 AND template = 'mfa_factor_removed'`, [u.user.email]);
    expect(mails).toHaveLength(1);
  });

  it('the passkey of a disabled user signs nobody in (403 ACCOUNT_DISABLED); an administrator’s reset removes passkeys too', async () => {
    const u = await withPasskey();
    expectOk(await admin.PATCH('/api/v1/users/{id}', { params: { path: { id: u.user.id } }, body: { status: 'disabled' } }));
    expectProblem(await signIn(u.authenticator), 403, 'ACCOUNT_DISABLED');
    expectOk(await admin.PATCH('/api/v1/users/{id}', { params: { path: { id: u.user.id } }, body: { status: 'active' } }));
    expect(decodeParts(expectOk(await signIn(u.authenticator)).accessToken).payload.sub).toBe(u.user.id);
    expect((await admin.DELETE('/api/v1/users/{id}/mfa', { params: { path: { id: u.user.id } } })).response.status).toBe(204);
    expectProblem(await signIn(u.authenticator), 401, 'PASSKEY_INVALID');
  });

  it('an account without a password adds a passkey with its bearer token and then signs in with it alone', async () => {
    const u = await newUser(t);
    await sql(t.db.url, `UPDATE users SET password_hash = NULL WHERE id = $1`, [u.user.id]);
    const a = new SoftAuthenticator(ORIGIN);
    expectOk(await register(u, a.create(await registrationOptions(u))));
    const pair = expectOk(await signIn(a));
    expect(decodeParts(pair.accessToken).payload).toMatchObject({ sub: u.user.id, amr: ['hwk', 'mfa'] });
    // Removing it needs a recent sign-in instead of a password: the passkey sign-in just now is one.
    const fresh = t.as(pair.accessToken);
    const [factor] = expectOk(await fresh.GET('/api/v1/auth/mfa/factors')).items;
    expect((await fresh.DELETE('/api/v1/auth/mfa/factors/{id}', { params: { path: { id: factor.id } }, body: {} })).response.status).toBe(204);
  });

  it('Swagger shows the MFA_REQUIRED problem with its extra members on every sign-in that can stop there', async () => {
    type Examples = Record<string, { value: Record<string, unknown> }>;
    const doc = (await (await fetch(`${t.baseUrl}/docs-json`)).json()) as { paths: Record<string, Record<string, { responses: Record<string, { content: Record<string, { examples: Examples }> }> }>> };
    for (const path of ['/api/v1/auth/login', '/api/v1/auth/otp/verify', '/api/v1/auth/passkeys/authentication']) {
      const example = doc.paths[path].post.responses['403'].content['application/problem+json'].examples.MFA_REQUIRED.value;
      expect(example).toMatchObject({ status: 403, code: 'MFA_REQUIRED', mfaToken: expect.any(String), methods: expect.any(Array) });
    }
  });

  it('passkey sign-in offers cookie mode like every sign-in: the refresh token in the HttpOnly cookie, not in the body', async () => {
    const u = await withPasskey();
    const { challengeToken, options } = await authOptions();
    const res = await t.api.POST('/api/v1/auth/passkeys/authentication', {
      body: { challengeToken, credential: u.authenticator.get(options) as never },
      headers: { 'x-refresh-token-delivery': 'cookie', origin: ORIGIN },
    });
    const pair = expectOk(res);
    expect(pair.accessToken).toBeTruthy();
    expect((pair as { refreshToken?: string }).refreshToken).toBeUndefined();
    expect(res.response.headers.get('set-cookie')).toMatch(/refresh_token=[^;]+;.*HttpOnly/i);
  });
});
