import { loadConfig } from '@app/core';
import { CleanupService } from '@app/persistence';
import { expectOk, newUser, newVerifiedUser, uniqueName } from '../support/factories';
import { sql } from '../support/db';
import { Messaging, startMessaging, TWILIO, uniquePhone } from '../support/messaging';
import { codeIn } from '../support/smtp';
import { committedNotifications } from '../support/eventually';
import { startTestApp, TestApp } from '../support/test-app';

// Deliveries go through the real queue, SMTP server and Twilio stand-in: allow for retries with backoff.
jest.setTimeout(60_000);

const TEST_PHONE = '+4741000001';
const TEST_EMAIL = 'reviewer@example.test';

describe('one-time codes', () => {
  let m: Messaging;
  let t: TestApp;
  beforeAll(async () => {
    m = await startMessaging();
    t = await startTestApp({
      env: {
        ...m.env,
        OTP_RESEND_SECONDS: '0',
        OTP_DAILY_LIMIT: '4',
        OTP_MAX_ATTEMPTS: '3',
        OTP_TTL_SECONDS: '120',
        REGISTRATION_REQUIRE_PHONE_OTP: 'false',
        OTP_TEST_DESTINATIONS: `${TEST_PHONE}=246810,${TEST_EMAIL}=135790`,
      },
    });
  });
  afterAll(async () => {
    await t.close();
    await m.stop();
  });

  const request = (channel: 'sms' | 'email', destination: string, purpose: 'register' | 'login' | 'verify' | 'reset') =>
    t.api.POST('/api/v1/auth/otp/request', { body: { channel, destination, purpose } });
  const verify = (channel: 'sms' | 'email', destination: string, purpose: 'register' | 'login' | 'verify' | 'reset', code: string) =>
    t.api.POST('/api/v1/auth/otp/verify', { body: { channel, destination, purpose, code } });

  it('logs in by SMS code to a verified phone: sent through Twilio’s API, a token pair and a new session', async () => {
    const phone = uniquePhone();
    const u = await newVerifiedUser(t, { phone });
    const sent = await request('sms', phone, 'login');
    expect(sent.response.status).toBe(202);
    expect(sent.data).toEqual({ expiresIn: 120, resendAfter: 0 });
    expect(JSON.stringify(sent.data)).not.toMatch(/\d{6}/);

    const sms = await m.twilio.waitFor(phone);
    expect(sms.from).toBe(TWILIO.from);
    expect(sms.accountSid).toBe(TWILIO.sid);
    expect(sms.authorization).toBe(`Basic ${Buffer.from(`${TWILIO.sid}:${TWILIO.token}`).toString('base64')}`);
    const code = codeIn(sms.body);

    const pair = expectOk(await verify('sms', phone, 'login', code));
    expect(pair).toMatchObject({ tokenType: 'Bearer' });
    const me = expectOk(await t.as((pair as { accessToken: string }).accessToken).GET('/api/v1/users/me'));
    expect(me).toMatchObject({ id: u.user.id, phoneVerified: true, status: 'active' });
    const sessions = expectOk(await u.api.GET('/api/v1/auth/sessions'));
    expect(sessions.items).toHaveLength(2);

    // Single use.
    const again = await verify('sms', phone, 'login', code);
    expect(again.response.status).toBe(400);
    expect(again.error).toMatchObject({ code: 'OTP_INVALID' });
  });

  it('answers the same whether or not an account exists, and sends only to accounts', async () => {
    const phone = uniquePhone();
    await newVerifiedUser(t, { phone });
    const stranger = uniquePhone();
    const known = await request('sms', phone, 'login');
    const unknown = await request('sms', stranger, 'login');
    expect(unknown.response.status).toBe(known.response.status);
    expect(unknown.data).toEqual(known.data);
    const email = uniqueName('nobody').email;
    const unknownEmail = await request('email', email, 'reset');
    expect(unknownEmail.response.status).toBe(202);
    expect(unknownEmail.data).toEqual(known.data);
    await m.twilio.waitFor(phone);
    expect(await committedNotifications(t, stranger)).toEqual([]);
    expect(await committedNotifications(t, email)).toEqual([]);
    expect(m.twilio.to(stranger)).toHaveLength(0);
    expect(m.smtp.to(email)).toHaveLength(0);
    // A guess against the code nobody received fails like any wrong code.
    const guess = await verify('sms', stranger, 'login', '000000');
    expect(guess.response.status).toBe(400);
    expect(guess.error).toMatchObject({ code: 'OTP_INVALID' });
  });

  it('counts wrong codes, then locks the code even for the right one', async () => {
    const u = await newVerifiedUser(t);
    const email = u.user.email!;
    await request('email', email, 'login');
    const code = codeIn((await m.smtp.waitForMatching(email, /^Your code/)).subject);
    const wrong = code === '000000' ? '111111' : '000000';
    const first = await verify('email', email, 'login', wrong);
    expect(first.response.status).toBe(400);
    expect(first.error).toMatchObject({ code: 'OTP_INVALID', attemptsLeft: 2 });
    expect((await verify('email', email, 'login', wrong)).error).toMatchObject({ attemptsLeft: 1 });
    expect((await verify('email', email, 'login', wrong)).error).toMatchObject({ attemptsLeft: 0 });
    const locked = await verify('email', email, 'login', code);
    expect(locked.response.status).toBe(429);
    expect(locked.error).toMatchObject({ code: 'OTP_LOCKED' });
    expect(Number(locked.response.headers.get('retry-after'))).toBeGreaterThan(0);
    // A new code starts over.
    await request('email', email, 'login');
    const fresh = codeIn((await m.smtp.waitForMatching(email, /^Your code/, 2)).subject);
    expect((await verify('email', email, 'login', fresh)).response.status).toBe(200);
  });

  it('expires after OTP_TTL_SECONDS', async () => {
    const phone = uniquePhone();
    await newVerifiedUser(t, { phone });
    await request('sms', phone, 'login');
    const code = codeIn((await m.twilio.waitFor(phone)).body);
    t.clock.advance(121_000);
    const late = await verify('sms', phone, 'login', code);
    expect(late.response.status).toBe(400);
    expect(late.error).toMatchObject({ code: 'OTP_EXPIRED' });
  });

  it('a new request invalidates the previous code', async () => {
    const phone = uniquePhone();
    await newVerifiedUser(t, { phone });
    await request('sms', phone, 'login');
    const first = codeIn((await m.twilio.waitFor(phone)).body);
    await request('sms', phone, 'login');
    const second = codeIn((await m.twilio.waitFor(phone, 2)).body);
    if (first !== second) {
      const old = await verify('sms', phone, 'login', first);
      expect(old.error).toMatchObject({ code: 'OTP_INVALID' });
    }
    expect((await verify('sms', phone, 'login', second)).response.status).toBe(200);
  });

  it('binds a code to its purpose and destination', async () => {
    const phone = uniquePhone();
    const other = uniquePhone();
    await newVerifiedUser(t, { phone });
    await newVerifiedUser(t, { phone: other });
    await request('sms', phone, 'login');
    const code = codeIn((await m.twilio.waitFor(phone)).body);
    expect((await verify('sms', phone, 'verify', code)).error).toMatchObject({ code: 'OTP_INVALID' });
    expect((await verify('sms', other, 'login', code)).error).toMatchObject({ code: 'OTP_INVALID' });
    expect((await verify('email', phone.replace('+', '') + '@example.test', 'login', code)).error).toMatchObject({ code: 'OTP_INVALID' });
    // Those failures counted against nothing of this code's: it still works.
    expect((await verify('sms', phone, 'login', code)).response.status).toBe(200);
  });

  it('caps the codes sent to one destination per day', async () => {
    const phone = uniquePhone();
    for (let i = 0; i < 4; i++) expect((await request('sms', phone, 'register')).response.status).toBe(202);
    const capped = await request('sms', phone, 'register');
    expect(capped.response.status).toBe(429);
    expect(capped.error).toMatchObject({ code: 'OTP_DAILY_LIMIT' });
    expect(Number(capped.response.headers.get('retry-after'))).toBeGreaterThan(86_000);
    await m.twilio.waitFor(phone, 4);
    // Another purpose for the same destination counts toward the same cap.
    expect((await request('sms', phone, 'verify')).response.status).toBe(429);
  });

  it('verify purpose marks an account’s email verified and returns a verificationToken', async () => {
    const u = await newUser(t);
    const email = u.user.email!;
    await request('email', email, 'verify');
    const mail = await m.smtp.waitForMatching(email, /^Your code/);
    expect(mail.subject).toMatch(/^Your code: \d{6}$/);
    const result = expectOk(await verify('email', email, 'verify', codeIn(mail.subject)));
    expect((result as { verificationToken: string }).verificationToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(expectOk(await u.api.GET('/api/v1/users/me'))).toMatchObject({ emailVerified: true, status: 'active' });
  });

  it('test destinations get their fixed code and nothing is sent to them', async () => {
    await newVerifiedUser(t, { phone: TEST_PHONE, email: TEST_EMAIL });
    expect((await request('sms', TEST_PHONE, 'login')).response.status).toBe(202);
    expect((await verify('sms', TEST_PHONE, 'login', '246810')).response.status).toBe(200);
    expect((await request('email', TEST_EMAIL.toUpperCase(), 'login')).response.status).toBe(202);
    expect((await verify('email', TEST_EMAIL, 'login', '135790')).response.status).toBe(200);
    const otps = async (to: string) => (await committedNotifications(t, to)).filter((n) => n.template === 'otp');
    expect(await otps(TEST_PHONE)).toEqual([]);
    expect(await otps(TEST_EMAIL)).toEqual([]);
    expect(m.twilio.to(TEST_PHONE)).toHaveLength(0);
    expect(m.smtp.to(TEST_EMAIL).filter((mail) => mail.subject.startsWith('Your code'))).toHaveLength(0);
  });

  it('test destinations are refused in production', () => {
    expect(() =>
      loadConfig({
        NODE_ENV: 'production',
        DATABASE_URL: 'postgres://u:p@db:5432/app',
        JWT_SIGNING_KEYS: '[]',
        APP_SECRET: 'x'.repeat(40),
        METRICS_TOKEN: 'a-scrape-token-of-some-length',
        OTP_TEST_DESTINATIONS: `${TEST_PHONE}=246810`,
      }),
    ).toThrow(/OTP_TEST_DESTINATIONS is a development-only option/);
  });

  it('expired codes and expired or used tokens join the scheduled cleanup job', async () => {
    const rows = `('sms', '+4741999990', 'login', '\\x00'::bytea, now() - interval '2 days', now() - interval '2 days'),
                  ('sms', '+4741999991', 'login', '\\x00'::bytea, now() + interval '1 minute', now())`;
    await sql(t.db.url, `INSERT INTO otp_codes (channel, destination, purpose, code_hash, expires_at, created_at) VALUES ${rows}`);
    await sql(
      t.db.url,
      `INSERT INTO one_time_tokens (purpose, token_hash, subject, expires_at, used_at) VALUES
         ('password_reset', '\\x01'::bytea, 's1', now() - interval '1 second', NULL),
         ('password_reset', '\\x02'::bytea, 's2', now() + interval '1 hour', now() - interval '2 days'),
         ('password_reset', '\\x03'::bytea, 's3', now() + interval '1 hour', NULL)`,
    );
    const counts = await t.app.get(CleanupService).runOnce();
    expect(counts?.otp_codes).toBeGreaterThanOrEqual(1);
    expect(counts?.one_time_tokens).toBeGreaterThanOrEqual(2);
    expect(await sql(t.db.url, `SELECT destination FROM otp_codes WHERE destination IN ('+4741999990', '+4741999991')`)).toEqual([{ destination: '+4741999991' }]);
    expect(await sql(t.db.url, `SELECT subject FROM one_time_tokens WHERE subject IN ('s1', 's2', 's3')`)).toEqual([{ subject: 's3' }]);
  });

  it('never records or returns the code: the notification log shows the message without it', async () => {
    const phone = uniquePhone();
    await newVerifiedUser(t, { phone });
    await request('sms', phone, 'login');
    const code = codeIn((await m.twilio.waitFor(phone)).body);
    const rows = await sql<{ record: string }>(t.db.url, `SELECT row_to_json(n)::text AS record FROM notifications n WHERE recipient = $1`, [phone]);
    expect(rows).toHaveLength(1);
    expect(rows[0].record).not.toContain(code);
    const jobs = await sql<{ data: string }>(t.db.url, `SELECT data::text AS data FROM pgboss.job UNION ALL SELECT data::text FROM pgboss.archive`);
    expect(jobs.length).toBeGreaterThan(0);
    for (const job of jobs) expect(job.data).not.toContain(code);
    const stored = await sql<{ code_hash: Buffer }>(t.db.url, `SELECT code_hash FROM otp_codes WHERE destination = $1`, [phone]);
    expect(stored[0].code_hash.toString('hex')).not.toContain(Buffer.from(code).toString('hex'));
  });
});

describe('one-time codes with the default cooldown, and phone-verified registration', () => {
  let m: Messaging;
  let t: TestApp;
  beforeAll(async () => {
    m = await startMessaging();
    t = await startTestApp({
      env: { ...m.env, OTP_RESEND_SECONDS: '60', OTP_DAILY_LIMIT: '10', OTP_MAX_ATTEMPTS: '5', REGISTRATION_REQUIRE_PHONE_OTP: 'true', OTP_TEST_DESTINATIONS: '' },
    });
  });
  afterAll(async () => {
    await t.close();
    await m.stop();
  });

  it('refuses a second request within OTP_RESEND_SECONDS, for known and unknown destinations alike', async () => {
    const phone = uniquePhone();
    const first = await t.api.POST('/api/v1/auth/otp/request', { body: { channel: 'sms', destination: phone, purpose: 'register' } });
    expect(first.data).toEqual({ expiresIn: 120, resendAfter: 60 });
    const second = await t.api.POST('/api/v1/auth/otp/request', { body: { channel: 'sms', destination: phone, purpose: 'register' } });
    expect(second.response.status).toBe(429);
    expect(second.error).toMatchObject({ code: 'OTP_RESEND_TOO_SOON' });
    const wait = Number(second.response.headers.get('retry-after'));
    expect(wait).toBeGreaterThan(50);
    expect(wait).toBeLessThanOrEqual(60);

    const nobody = uniqueName('nobody').email;
    expect((await t.api.POST('/api/v1/auth/otp/request', { body: { channel: 'email', destination: nobody, purpose: 'login' } })).response.status).toBe(202);
    const again = await t.api.POST('/api/v1/auth/otp/request', { body: { channel: 'email', destination: nobody, purpose: 'login' } });
    expect(again.response.status).toBe(429);
    expect(again.error).toMatchObject({ code: 'OTP_RESEND_TOO_SOON' });
  });

  it('registration needs the verificationToken of a verified register code for that phone; the phone is then verified', async () => {
    const phone = uniquePhone();
    const names = uniqueName();
    const password = 'a-long-enough-password-1';

    const without = await t.api.POST('/api/v1/auth/register', { body: { username: names.username, password, phone } });
    expect(without.response.status).toBe(400);
    expect(without.error).toMatchObject({ code: 'PHONE_VERIFICATION_REQUIRED' });
    const noPhone = await t.api.POST('/api/v1/auth/register', { body: { username: names.username, password, email: names.email } });
    expect(noPhone.error).toMatchObject({ code: 'PHONE_VERIFICATION_REQUIRED' });

    expect((await t.api.POST('/api/v1/auth/otp/request', { body: { channel: 'sms', destination: phone, purpose: 'register' } })).response.status).toBe(202);
    const code = codeIn((await m.twilio.waitFor(phone)).body);
    const verified = expectOk(await t.api.POST('/api/v1/auth/otp/verify', { body: { channel: 'sms', destination: phone, purpose: 'register', code } }));
    const verificationToken = (verified as { verificationToken: string }).verificationToken;

    const otherPhone = uniquePhone();
    const wrongPhone = await t.api.POST('/api/v1/auth/register', { body: { username: names.username, password, phone: otherPhone, verificationToken } });
    expect(wrongPhone.response.status).toBe(400);
    expect(wrongPhone.error).toMatchObject({ code: 'VERIFICATION_TOKEN_INVALID' });

    const created = await t.api.POST('/api/v1/auth/register', { body: { username: names.username, password, phone, email: names.email, verificationToken } });
    expect(created.response.status).toBe(201);
    expect(created.data?.user).toMatchObject({ phone, phoneVerified: true, emailVerified: false, status: 'active' });
    // The email address still gets its own verification link.
    expect((await m.smtp.waitFor(names.email)).subject).toBe('Verify your email address');

    const reuse = await t.api.POST('/api/v1/auth/register', { body: { username: `${names.username}x`, password, phone, verificationToken } });
    expect(reuse.response.status).toBe(400);
    expect(reuse.error).toMatchObject({ code: 'VERIFICATION_TOKEN_INVALID' });
  });
});
