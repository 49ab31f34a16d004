import { expectOk, newUser, uniqueName } from '../support/factories';
import { sql } from '../support/db';
import { Messaging, startMessaging, uniquePhone } from '../support/messaging';
import { codeIn, linkIn, onTestServer } from '../support/smtp';
import { committedNotifications, eventually } from '../support/eventually';
import { startTestApp, TestApp } from '../support/test-app';

// Deliveries go through the real queue, SMTP server and Twilio stand-in: allow for retries with backoff.
jest.setTimeout(60_000);

describe('password recovery', () => {
  let m: Messaging;
  let t: TestApp;
  beforeAll(async () => {
    m = await startMessaging();
    t = await startTestApp({ env: { ...m.env, PUBLIC_BASE_URL: 'https://id.example.test', OTP_RESEND_SECONDS: '0', LOGIN_MAX_FAILURES: '3' } });
  });
  afterAll(async () => {
    await t.close();
    await m.stop();
  });

  const local = (link: string) => onTestServer(link, 'https://id.example.test', t.baseUrl);
  const forgot = (login: string) => t.api.POST('/api/v1/auth/password/forgot', { body: { login } });
  const resetMail = (email: string) =>
    eventually('a reset email', () => {
      const mails = m.smtp.to(email).filter((x) => x.subject === 'Reset your password');
      return mails.length > 0 && mails;
    });
  const lockOut = async (login: string) => {
    for (let i = 0; i < 3; i++) await t.api.POST('/api/v1/auth/login', { body: { login, password: 'wrong-password-123' } });
    const locked = await t.api.POST('/api/v1/auth/login', { body: { login, password: 'wrong-password-123' } });
    expect(locked.response.status).toBe(429);
  };

  it('forgot-password answers 202 alike for known and unknown logins and sends only to the account', async () => {
    const u = await newUser(t);
    const unknown = uniqueName('ghost');
    const known = await forgot(u.user.username);
    const stranger = await forgot(unknown.email);
    expect(known.response.status).toBe(202);
    expect(stranger.response.status).toBe(202);
    expect(await known.response.text()).toBe(await stranger.response.text());
    await resetMail(u.user.email!);
    expect(await committedNotifications(t, unknown.email)).toEqual([]);
    expect(m.smtp.to(unknown.email)).toHaveLength(0);

    // Similar timing: the answer comes before any account-specific work (which runs after the
    // response), so an unknown login is not answered measurably faster. Samples alternate, so that a
    // busy moment of the machine falls on both; the median of seven each.
    const knownMs: number[] = [];
    const strangerMs: number[] = [];
    for (let i = 0; i < 7; i++) {
      for (const [login, samples] of [
        [u.user.email!, knownMs],
        [unknown.username, strangerMs],
      ] as const) {
        const start = performance.now();
        expect((await forgot(login)).response.status).toBe(202);
        samples.push(performance.now() - start);
      }
    }
    const median = (samples: number[]) => [...samples].sort((a, b) => a - b)[3];
    expect(median(strangerMs)).toBeGreaterThan(median(knownMs) / 4);
  });

  it('resets by the emailed link: the HTML form, single use, every session ended, account unlocked, notice sent', async () => {
    const u = await newUser(t);
    const second = expectOk(await t.api.POST('/api/v1/auth/login', { body: { login: u.user.username, password: u.password } }));
    await lockOut(u.user.username);
    expect((await m.smtp.waitForSubject(u.user.email!, 'Sign-in to your account was paused')).text).toContain('too many failed sign-in attempts');

    expect((await forgot(u.user.email!)).response.status).toBe(202);
    const [mail] = await resetMail(u.user.email!);
    expect(mail.html).toContain('Choose a new password');
    const link = linkIn(mail.text);
    expect(link).toMatch(/^https:\/\/id\.example\.test\/api\/v1\/auth\/password\/reset\?token=[A-Za-z0-9_-]{43}$/);
    expect(mail.text).toMatch(/code in the app: \d{6}/);

    const form = await fetch(local(link));
    expect(form.status).toBe(200);
    expect(form.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await form.text();
    expect(html).toContain('<form method="post" action="/api/v1/auth/password/reset/form">');
    expect(html).toContain(`value="${new URL(link).searchParams.get('token')}"`);

    const weak = await fetch(`${t.baseUrl}/api/v1/auth/password/reset/form`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: new URL(link).searchParams.get('token')!, newPassword: 'password' }).toString(),
    });
    expect(weak.status).toBe(400);
    expect(await weak.text()).toContain('too common');

    const newPassword = 'a-brand-new-password-42';
    const done = await fetch(`${t.baseUrl}/api/v1/auth/password/reset/form`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: new URL(link).searchParams.get('token')!, newPassword }).toString(),
    });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('Your password was changed');

    // Every session ended, at once.
    expect((await u.api.GET('/api/v1/users/me')).response.status).toBe(401);
    expect((await t.as(second.accessToken).GET('/api/v1/users/me')).response.status).toBe(401);
    expect((await t.api.POST('/api/v1/auth/refresh', { body: { refreshToken: second.refreshToken } })).response.status).toBe(401);
    // Unlocked, with the new password only.
    expect((await t.api.POST('/api/v1/auth/login', { body: { login: u.user.username, password: u.password } })).response.status).toBe(401);
    expect((await t.api.POST('/api/v1/auth/login', { body: { login: u.user.username, password: newPassword } })).response.status).toBe(200);
    // Single use; the link's page says so.
    const reused = await t.api.POST('/api/v1/auth/password/reset', { body: { token: new URL(link).searchParams.get('token')!, newPassword: 'yet-another-password-7' } });
    expect(reused.response.status).toBe(400);
    expect(reused.error).toMatchObject({ code: 'VERIFICATION_TOKEN_INVALID' });
    expect((await fetch(local(link))).status).toBe(400);
    // The notice, and the address counts as verified now.
    expect((await m.smtp.waitForSubject(u.user.email!, 'Your password was changed')).text).toContain('every session was signed out');
    const login = expectOk(await t.api.POST('/api/v1/auth/login', { body: { login: u.user.username, password: newPassword } }));
    expect(expectOk(await t.as(login.accessToken).GET('/api/v1/users/me'))).toMatchObject({ emailVerified: true });
  });

  it('resets by code with the login; a newer request supersedes the older link and code', async () => {
    const u = await newUser(t);
    await forgot(u.user.username);
    const [first] = await resetMail(u.user.email!);
    await forgot(u.user.username);
    const second = await eventually('the second reset email', async () => (await resetMail(u.user.email!))[1]);
    const firstToken = new URL(linkIn(first.text)).searchParams.get('token')!;
    const firstCode = codeIn(first.text.split('code in the app:')[1]);
    const secondCode = codeIn(second.text.split('code in the app:')[1]);

    expect((await t.api.POST('/api/v1/auth/password/reset', { body: { token: firstToken, newPassword: 'superseded-password-1' } })).error).toMatchObject({
      code: 'VERIFICATION_TOKEN_INVALID',
    });
    if (firstCode !== secondCode) {
      const stale = await t.api.POST('/api/v1/auth/password/reset', { body: { login: u.user.email!, code: firstCode, newPassword: 'superseded-password-1' } });
      expect(stale.response.status).toBe(400);
      expect(stale.error).toMatchObject({ code: 'OTP_INVALID' });
    }
    const mixed = await t.api.POST('/api/v1/auth/password/reset', { body: { token: firstToken, login: u.user.username, code: secondCode, newPassword: 'whatever-password-1' } });
    expect(mixed.response.status).toBe(400);

    const newPassword = 'reset-by-code-password-9';
    const ok = await t.api.POST('/api/v1/auth/password/reset', { body: { login: u.user.username.toUpperCase(), code: secondCode, newPassword } });
    expect(ok.response.status).toBe(204);
    expect((await u.api.GET('/api/v1/users/me')).response.status).toBe(401);
    expect((await t.api.POST('/api/v1/auth/login', { body: { login: u.user.email!, password: newPassword } })).response.status).toBe(200);
    const again = await t.api.POST('/api/v1/auth/password/reset', { body: { login: u.user.username, code: secondCode, newPassword: 'third-password-123' } });
    expect(again.error).toMatchObject({ code: 'OTP_INVALID' });
    // Unknown logins answer like a code that is not live.
    const ghost = await t.api.POST('/api/v1/auth/password/reset', { body: { login: uniqueName('ghost').username, code: '123456', newPassword } });
    expect(ghost.response.status).toBe(400);
    expect(ghost.error).toMatchObject({ code: 'OTP_INVALID' });
  });

  it('an account with only a phone gets the code by SMS; a reset code through /otp/verify gives a reset token', async () => {
    const phone = uniquePhone();
    const names = uniqueName();
    const password = 'phone-only-password-1';
    expectOk(await t.api.POST('/api/v1/auth/register', { body: { username: names.username, phone, password } }));
    expect((await forgot(phone)).response.status).toBe(202);
    const code = codeIn((await m.twilio.waitFor(phone)).body);
    const verified = expectOk(await t.api.POST('/api/v1/auth/otp/verify', { body: { channel: 'sms', destination: phone, purpose: 'reset', code } }));
    const token = (verified as { verificationToken: string }).verificationToken;
    expect((await t.api.POST('/api/v1/auth/password/reset', { body: { token, newPassword: 'phone-reset-password-2' } })).response.status).toBe(204);
    expect((await t.api.POST('/api/v1/auth/login', { body: { login: phone, password: 'phone-reset-password-2' } })).response.status).toBe(200);
    // The notice goes by SMS to an account without email.
    const notice = await m.twilio.waitFor(phone, 2);
    expect(notice.body).toContain('Your password was changed');
  });

  it('expired and unknown tokens answer a page that says so', async () => {
    const u = await newUser(t);
    await forgot(u.user.email!);
    const [mail] = await resetMail(u.user.email!);
    await sql(t.db.url, `UPDATE one_time_tokens SET expires_at = now() - interval '1 second' WHERE purpose = 'password_reset' AND subject = $1`, [u.user.id]);
    const expired = await fetch(local(linkIn(mail.text)));
    expect(expired.status).toBe(400);
    expect(await expired.text()).toContain('has expired');
    const api = await t.api.POST('/api/v1/auth/password/reset', { body: { token: new URL(linkIn(mail.text)).searchParams.get('token')!, newPassword: 'never-applied-password-1' } });
    expect(api.error).toMatchObject({ code: 'VERIFICATION_TOKEN_EXPIRED' });
    const unknown = await fetch(`${t.baseUrl}/api/v1/auth/password/reset?token=${'x'.repeat(43)}`);
    expect(unknown.status).toBe(400);
  });
});
