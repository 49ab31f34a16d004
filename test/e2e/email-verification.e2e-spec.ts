import { expectOk, newUser, uniqueName } from '../support/factories';
import { Messaging, startMessaging } from '../support/messaging';
import { linkIn, onTestServer } from '../support/smtp';
import { committedNotifications } from '../support/eventually';
import { startTestApp, TestApp } from '../support/test-app';

// Deliveries go through the real queue, SMTP server and Twilio stand-in: allow for retries with backoff.
jest.setTimeout(60_000);

describe('email verification', () => {
  let m: Messaging;
  let t: TestApp;
  beforeAll(async () => {
    m = await startMessaging();
    t = await startTestApp({ env: { ...m.env, PUBLIC_BASE_URL: 'https://id.example.test' } });
  });
  afterAll(async () => {
    await t.close();
    await m.stop();
  });

  const local = (link: string) => onTestServer(link, 'https://id.example.test', t.baseUrl);

  it('registration with an email sends a link; opening it verifies the address and activates the account', async () => {
    const u = await newUser(t);
    expect(u.user.status).toBe('pending');
    const mail = await m.smtp.waitFor(u.user.email!);
    expect(mail.subject).toBe('Verify your email address');
    expect(mail.html).toContain('Verify my email address');
    const link = linkIn(mail.text);
    expect(link).toMatch(/^https:\/\/id\.example\.test\/api\/v1\/auth\/email\/verify\?token=[A-Za-z0-9_-]{43}$/);

    const page = await fetch(local(link));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toContain('your email address is verified');
    const me = expectOk(await u.api.GET('/api/v1/users/me'));
    expect(me).toMatchObject({ emailVerified: true, status: 'active' });

    const again = await fetch(local(link));
    expect(again.status).toBe(400);
    expect(await again.text()).toContain('not valid');
  });

  it('POST /auth/email/verify takes the token; a changed address voids the old link and gets a new one', async () => {
    const u = await newUser(t);
    const first = linkIn((await m.smtp.waitFor(u.user.email!)).text);
    const firstToken = new URL(first).searchParams.get('token')!;

    const newEmail = uniqueName('changed').email;
    expectOk(await u.api.PATCH('/api/v1/users/me', { body: { email: newEmail } }));
    const second = linkIn((await m.smtp.waitFor(newEmail)).text);

    const stale = await t.api.POST('/api/v1/auth/email/verify', { body: { token: firstToken } });
    expect(stale.response.status).toBe(400);
    expect(stale.error).toMatchObject({ code: 'VERIFICATION_TOKEN_INVALID' });

    const ok = await t.api.POST('/api/v1/auth/email/verify', { body: { token: new URL(second).searchParams.get('token')! } });
    expect(ok.response.status).toBe(204);
    const me = expectOk(await u.api.GET('/api/v1/users/me'));
    expect(me).toMatchObject({ email: newEmail, emailVerified: true, status: 'active' });

    const resend = await u.api.POST('/api/v1/auth/email/resend');
    expect(resend.response.status).toBe(409);
    expect(resend.error).toMatchObject({ code: 'EMAIL_ALREADY_VERIFIED' });
  });

  it('resend sends a fresh link and voids the previous one', async () => {
    const u = await newUser(t);
    const first = new URL(linkIn((await m.smtp.waitFor(u.user.email!)).text)).searchParams.get('token')!;
    expect((await u.api.POST('/api/v1/auth/email/resend')).response.status).toBe(202);
    const second = new URL(linkIn((await m.smtp.waitFor(u.user.email!, 2)).text)).searchParams.get('token')!;
    expect(second).not.toBe(first);
    expect((await t.api.POST('/api/v1/auth/email/verify', { body: { token: first } })).response.status).toBe(400);
    expect((await t.api.POST('/api/v1/auth/email/verify', { body: { token: second } })).response.status).toBe(204);
  });

  it('a verification token is good for nothing else: not a reset token, access token or refresh token', async () => {
    const u = await newUser(t);
    const token = new URL(linkIn((await m.smtp.waitFor(u.user.email!)).text)).searchParams.get('token')!;
    const asReset = await t.api.POST('/api/v1/auth/password/reset', { body: { token, newPassword: 'never-applied-password-1' } });
    expect(asReset.response.status).toBe(400);
    expect(asReset.error).toMatchObject({ code: 'VERIFICATION_TOKEN_INVALID' });
    expect((await t.as(token).GET('/api/v1/users/me')).response.status).toBe(401);
    expect((await t.api.POST('/api/v1/auth/refresh', { body: { refreshToken: token } })).response.status).toBe(401);
    // Still unused: it verifies the address.
    expect((await t.api.POST('/api/v1/auth/email/verify', { body: { token } })).response.status).toBe(204);
  });

  it('a registration that fails sends nothing', async () => {
    const u = await newUser(t);
    await m.smtp.waitFor(u.user.email!);
    const before = m.smtp.messages.length;
    const names = uniqueName();
    const dup = await t.api.POST('/api/v1/auth/register', { body: { username: u.user.username, email: names.email, password: 'a-long-enough-password-1' } });
    expect(dup.response.status).toBe(409);
    expect(await committedNotifications(t, names.email)).toEqual([]);
    expect(m.smtp.to(names.email)).toHaveLength(0);
    expect(m.smtp.messages.length).toBe(before);
  });
});
