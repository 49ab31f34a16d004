import document from '../../sdk/openapi.json';
import { sql } from '../support/db';
import { expectOk, loginAdmin, newUser, TestUser, WITH_ADMIN } from '../support/factories';
import { fileForm, makeImage } from '../support/images';
import { Messaging, startMessaging } from '../support/messaging';
import { linkIn } from '../support/smtp';
import { startTestApp, TestApp } from '../support/test-app';
import { currentStep, totpAt } from '../support/totp';
import { SoftAuthenticator } from '../support/webauthn';

/**
 * Every request example of the committed OpenAPI document, sent as Swagger UI's "Try it out" sends it,
 * to a running service: each must succeed (2xx). The examples tell one story (register ada_l, sign in,
 * verify her phone with a code, create the role editor and the user grace_h …), so the steps run in
 * that order against one fresh service. Sent unchanged, except: path parameters (real objects
 * created on the way), and the fields that carry a secret or an id an earlier step issued — listed per
 * step in `secrets`. Callers: anonymous, the bootstrap administrator, or a user whose password is the
 * examples' password.
 *
 * Requests are built from the document itself (like the fuzzer), not through the typed client: what
 * is under test is the document.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the OpenAPI document walked as free-form JSON
type Json = Record<string, any>;
const doc = document as unknown as Json;
const METHODS = ['get', 'put', 'post', 'delete', 'patch'];
const EXAMPLE_PASSWORD = 'correct horse battery staple';

const operations = new Map<string, { method: string; path: string; op: Json }>();
for (const [path, item] of Object.entries(doc.paths as Record<string, Json>)) {
  for (const method of METHODS) if (item[method]) operations.set(item[method].operationId, { method, path, op: item[method] });
}

interface Step {
  /** Access token of the caller; none: anonymous. */
  as?: string;
  path?: Record<string, string>;
  /** Fields of the body example replaced by a secret or id an earlier step issued (nothing else is changed). */
  secrets?: (body: Json) => void;
  /** Query parameters beyond the documented examples (a link's token). */
  query?: Record<string, string>;
  /** A multipart body (no JSON example exists for file uploads). */
  multipart?: FormData;
}

describe('documented request examples', () => {
  let t: TestApp;
  let m: Messaging;
  let admin: string;
  const sent = new Set<string>();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers of any operation, as free-form JSON
  const state: Record<string, any> = {};

  /** Sends the operation's documented example; returns the parsed answer, failing on anything but 2xx. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers of any operation, as free-form JSON
  async function send(operationId: string, step: Step = {}): Promise<any> {
    const entry = operations.get(operationId);
    if (!entry) throw new Error(`${operationId} is not in sdk/openapi.json`);
    sent.add(operationId);
    const { method, path, op } = entry;
    const url = new URL(
      t.baseUrl +
        path.replace(/\{([^}]+)\}/g, (_all, name: string) => {
          const value = step.path?.[name];
          if (value === undefined) throw new Error(`${operationId}: give the path parameter ${name}`);
          return encodeURIComponent(value);
        }),
    );
    for (const p of (op.parameters ?? []) as Json[]) {
      const example = p.example ?? p.schema?.example;
      if (p.in === 'query' && example !== undefined) url.searchParams.set(p.name, String(example));
    }
    for (const [name, value] of Object.entries(step.query ?? {})) url.searchParams.set(name, value);
    const headers: Record<string, string> = {};
    if (step.as) headers.authorization = `Bearer ${step.as}`;
    let body: string | FormData | undefined;
    const content = (op.requestBody?.content ?? {}) as Record<string, Json>;
    if (step.multipart) body = step.multipart;
    else if (content['application/json']) {
      const example = structuredClone(content['application/json'].example) as Json;
      step.secrets?.(example);
      headers['content-type'] = 'application/json';
      body = JSON.stringify(example);
    } else if (content['application/x-www-form-urlencoded']) {
      const example = structuredClone(content['application/x-www-form-urlencoded'].example) as Json;
      step.secrets?.(example);
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(example as Record<string, string>).toString();
    }
    const res = await fetch(url, { method: method.toUpperCase(), headers, body, redirect: 'manual' });
    const text = await res.text();
    // Success is 2xx, or the redirect an operation documents as its success (a sign-in at a provider).
    const documentedRedirect = res.status >= 300 && res.status < 400 && String(res.status) in (op.responses ?? {});
    if (res.status >= 300 && !documentedRedirect) throw new Error(`${operationId} (${method.toUpperCase()} ${path}) answered ${res.status}: ${text.slice(0, 400)}`);
    try {
      return text ? JSON.parse(text) : undefined;
    } catch {
      return text;
    }
  }

  /** A new account whose password is the examples' password, signed in. */
  const exampleUser = (): Promise<TestUser> => newUser(t, { password: EXAMPLE_PASSWORD });

  beforeAll(async () => {
    m = await startMessaging();
    t = await startTestApp({
      env: {
        ...m.env,
        ...WITH_ADMIN,
        REDIRECT_ALLOWLIST: 'https://app.example.com',
        // The examples' one-time codes: what the phone and the mailbox of the story would receive.
        OTP_TEST_DESTINATIONS: '+4741234567=123456,ada@example.com=123456',
        // A provider the sign-in examples start at; its token endpoint is unreachable (port 9), so a
        // callback ends at the application with error=temporarily_unavailable — still the documented 302.
        AUTH_PROVIDERS: JSON.stringify([{ id: 'github', type: 'github', clientId: 'example', clientSecret: 'example-secret', tokenUrl: 'http://127.0.0.1:9/token', apiUrl: 'http://127.0.0.1:9' }]),
      },
    });
    admin = (await loginAdmin(t)).tokens.accessToken;
  });

  afterAll(async () => {
    await t?.close();
    await m?.stop();
  });

  it('the anonymous reads: keys and probes', async () => {
    await send('getJwks');
    await send('checkLiveness');
    await send('checkReadiness');
  });

  it('registers ada_l and signs her in (JSON, OAuth form), refreshes and introspects', async () => {
    await send('register');
    state.ada = await send('login');
    await send('issueToken');
    state.ada = await send('refreshTokens', { secrets: (b) => (b.refreshToken = state.ada.refreshToken) });
    await send('introspectToken', { as: state.ada.accessToken, secrets: (b) => (b.token = state.ada.accessToken) });
    await send('getMe', { as: state.ada.accessToken });
    await send('updateMe', { as: state.ada.accessToken });
    await send('listSessions', { as: state.ada.accessToken });
  });

  it('verifies her phone with a one-time code and her email with the emailed link', async () => {
    await send('requestOtp');
    await send('verifyOtp');
    await send('resendEmailVerification', { as: state.ada.accessToken });
    const mail = await m.smtp.waitForMatching('ada@example.com', /verif/i, 2);
    await send('verifyEmail', { secrets: (b) => (b.token = new URL(linkIn(mail.text)).searchParams.get('token')) });
  });

  it('recovers her password with the code sent to her email', async () => {
    await send('forgotPassword');
    await send('resetPassword');
  });

  it('opens the emailed verification and reset links, and submits the reset form', async () => {
    const u = await exampleUser();
    const verification = await m.smtp.waitFor(u.user.email!);
    await send('openEmailVerificationLink', { query: { token: new URL(linkIn(verification.text)).searchParams.get('token')! } });
    expect((await t.api.POST('/api/v1/auth/password/forgot', { body: { login: u.user.email! } })).response.status).toBe(202);
    const reset = await m.smtp.waitForMatching(u.user.email!, /reset your password/i);
    const token = new URL(linkIn(reset.text)).searchParams.get('token')!;
    await send('openPasswordResetLink', { query: { token } });
    await send('submitPasswordResetForm', { secrets: (b) => (b.token = token) });
  });

  it('changes a password, ends sessions and signs out', async () => {
    const u = await exampleUser();
    expectOk(await t.api.POST('/api/v1/auth/login', { body: { login: u.user.username, password: EXAMPLE_PASSWORD } }));
    const sessions = expectOk(await u.api.GET('/api/v1/auth/sessions'));
    const otherSession = sessions.items.find((s) => !s.current)!;
    await send('revokeSession', { as: u.tokens.accessToken, path: { id: otherSession.id } });
    await send('changePassword', { as: u.tokens.accessToken });
    await send('logout', { as: u.tokens.accessToken });
    const again = expectOk(await t.api.POST('/api/v1/auth/login', { body: { login: u.user.username, password: 'a new horse, battery and staple' } }));
    await send('logoutAll', { as: again.accessToken });
  });

  it('turns two-factor authentication on and signs in with it', async () => {
    const u = await exampleUser();
    const enrolment = await send('enrolTotp', { as: u.tokens.accessToken });
    const step = currentStep();
    await send('confirmTotp', { as: u.tokens.accessToken, path: { factorId: enrolment.factorId }, secrets: (b) => (b.code = totpAt(enrolment.secret, step)) });
    await send('listMfaFactors', { as: u.tokens.accessToken });
    await send('regenerateRecoveryCodes', { as: u.tokens.accessToken });
    const stopped = await t.api.POST('/api/v1/auth/login', { body: { login: u.user.username, password: EXAMPLE_PASSWORD, clientId: 'default' } });
    const mfaToken = (stopped.error as { mfaToken?: string } | undefined)?.mfaToken;
    expect(mfaToken).toBeDefined();
    const tokens = await send('verifyMfa', { secrets: (b) => Object.assign(b, { mfaToken, code: totpAt(enrolment.secret, Math.max(step, currentStep()) + 1) }) });
    await send('removeMfaFactor', { as: tokens.accessToken, path: { id: enrolment.factorId } });
    await send('resetUserMfa', { as: admin, path: { id: u.user.id } });
  });

  it('adds a passkey, renames it and finishes a sign-in with it', async () => {
    const u = await exampleUser();
    // A software authenticator on the service's default origin (PUBLIC_BASE_URL, the relying party).
    const authenticator = new SoftAuthenticator('http://localhost:3000');
    const creation = await send('getPasskeyRegistrationOptions', { as: u.tokens.accessToken });
    const registered = await send('registerPasskey', { as: u.tokens.accessToken, secrets: (b) => (b.credential = authenticator.create(creation)) });
    await send('renameMfaFactor', { as: u.tokens.accessToken, path: { id: registered.factor.id } });
    const stopped = await t.api.POST('/api/v1/auth/login', { body: { login: u.user.username, password: EXAMPLE_PASSWORD, clientId: 'default' } });
    const mfaToken = (stopped.error as { mfaToken?: string } | undefined)?.mfaToken;
    expect(mfaToken).toBeDefined();
    const request = await send('getPasskeyAuthenticationOptions', { secrets: (b) => (b.mfaToken = mfaToken) });
    const tokens = await send('signInWithPasskey', {
      secrets: (b) => Object.assign(b, { challengeToken: request.challengeToken, credential: authenticator.get(request.options), mfaToken }),
    });
    expect(tokens.accessToken).toBeTruthy();
  });

  it('creates, changes and deletes tasks', async () => {
    const u = await exampleUser();
    const task = await send('createTask', { as: u.tokens.accessToken });
    await send('listTasks', { as: u.tokens.accessToken });
    await send('getTask', { as: u.tokens.accessToken, path: { id: task.id } });
    await send('updateTask', { as: u.tokens.accessToken, path: { id: task.id } });
    await send('replaceTask', { as: u.tokens.accessToken, path: { id: task.id } });
    await send('getTaskHistory', { as: u.tokens.accessToken, path: { id: task.id } });
    await send('deleteTask', { as: u.tokens.accessToken, path: { id: task.id } });
  });

  it('uploads an image and an avatar and serves the upload', async () => {
    const u = await exampleUser();
    const image = await send('uploadImage', { as: u.tokens.accessToken, multipart: fileForm(await makeImage('png'), 'photo.png') });
    const [folder, name] = String(image.key).split('/');
    await send('getUpload', { path: { folder, name } });
    await send('setMyAvatar', { as: u.tokens.accessToken, multipart: fileForm(await makeImage('jpeg'), 'me.jpg') });
  });

  it('as the administrator: roles, applications, users (grace_h), sessions, logs', async () => {
    await send('listPermissions', { as: admin });
    const editor = await send('createRoles', { as: admin });
    await send('listRoles', { as: admin });
    await send('updateRole', { as: admin, path: { id: editor.id } });
    await send('setRoleStatus', { as: admin, path: { id: editor.id } });
    await send('setRolePermissions', { as: admin, secrets: (b) => (b.items[0].roleId = editor.id) });
    const app = await send('createApplication', { as: admin });
    await send('listApplications', { as: admin });
    await send('getApplication', { as: admin, path: { id: app.id } });
    await send('updateApplication', { as: admin, path: { id: app.id } });
    const grace = await send('createUser', { as: admin });
    await send('listUsers', { as: admin });
    await send('getUser', { as: admin, path: { id: grace.id } });
    await send('getUserByPhone', { as: admin, path: { phone: grace.phone } });
    await send('updateUser', { as: admin, path: { id: grace.id } });
    await send('assignUserRoles', { as: admin, path: { id: grace.id } });
    await send('getUserRoles', { as: admin, path: { id: grace.id } });
    expectOk(await t.api.POST('/api/v1/auth/login', { body: { login: 'grace_h', password: 'grace hopper wrote the first compiler' } }));
    const sessions = await send('listUserSessions', { as: admin, path: { id: grace.id } });
    await send('revokeUserSession', { as: admin, path: { id: grace.id, sid: sessions.items[0].id } });
    await send('deleteUserByPhone', { as: admin });
    const other = await exampleUser();
    await send('deleteUser', { as: admin, path: { id: other.user.id } });
    const root = (await loginAdmin(t)).api;
    const spare = expectOk(await root.POST('/api/v1/roles', { body: { name: 'spare', permissions: ['tasks:read:own'] } }));
    await send('deleteRole', { as: admin, path: { id: 'id' in spare ? spare.id : spare.items[0].id } });
    await send('deleteApplication', { as: admin, path: { id: app.id } });
    await send('listAuditEvents', { as: admin });
    await send('listNotifications', { as: admin });
  });

  it('signs in with a provider, links and unlinks an identity', async () => {
    const root = (await loginAdmin(t)).api;
    expectOk(await root.POST('/api/v1/applications', { body: { clientId: 'web', name: 'Web', redirectUris: ['https://app.example.com/auth/callback', 'https://app.example.com/settings/linked'] } }));
    await send('listProviders');
    const pkce = { state: 'af0ifjsldkj', code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256' };
    const started = await fetch(`${t.baseUrl}/api/v1/auth/providers/github/authorize?${new URLSearchParams({ client_id: 'web', redirect_uri: 'https://app.example.com/auth/callback', ...pkce })}`, { redirect: 'manual' });
    expect(started.status).toBe(302);
    await send('authorizeWithProvider', { path: { id: 'github' }, query: { client_id: 'web', redirect_uri: 'https://app.example.com/auth/callback', ...pkce } });
    const state = new URL(started.headers.get('location')!).searchParams.get('state')!;
    await send('providerCallback', { path: { id: 'github' }, query: { state, code: 'provider-code' } });
    const u = await newUser(t, { password: EXAMPLE_PASSWORD, clientId: 'web' });
    await send('listIdentities', { as: u.tokens.accessToken });
    await send('linkIdentity', { as: u.tokens.accessToken, path: { provider: 'github' } });
    // An identity as a finished link would leave it (the example provider cannot be signed in to).
    await sql(t.db.url, `INSERT INTO identities (user_id, provider, subject, email) VALUES ($1, 'github', '583231', $2)`, [u.user.id, u.user.email]);
    await send('unlinkIdentity', { as: u.tokens.accessToken, path: { provider: 'github' } });
  });

  it('deletes an account with its password', async () => {
    const u = await exampleUser();
    await send('deleteMe', { as: u.tokens.accessToken });
  });

  it('has sent every operation of the document', () => {
    const missing = [...operations.keys()].filter((id) => !sent.has(id));
    expect(missing.map((id) => `${id}: add a step sending its example to test/e2e/openapi-examples.e2e-spec.ts`)).toEqual([]);
  });
});
