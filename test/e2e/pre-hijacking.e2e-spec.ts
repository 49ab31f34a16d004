import { BackgroundWork } from '@app/core';
import { expectOk, markContactsVerified, newUser, uniqueName } from '../support/factories';
import { sql } from '../support/db';
import { uniquePhone } from '../support/messaging';
import { startTestApp, TestApp } from '../support/test-app';

// Issue 14, item 5: a one-time code reaches an account only through a contact that account has verified
// (password reset: through its recovery contact, and then nothing of whoever registered it survives).
const VICTIM_PHONE = '+4741000101';
const VICTIM_EMAIL = 'victim@example.test';
const ATTACKER_PHONE = '+4741000102';
const PHONE_CODE = '314159';
const EMAIL_CODE = '271828';
const ATTACKER_CODE = '161803';

describe('pre-hijacking through one-time codes', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      env: {
        AUTH_RATE_LIMIT: '100000',
        OTP_RESEND_SECONDS: '0',
        OTP_TEST_DESTINATIONS: `${VICTIM_PHONE}=${PHONE_CODE},${VICTIM_EMAIL}=${EMAIL_CODE},${ATTACKER_PHONE}=${ATTACKER_CODE}`,
      },
    });
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    // Each test sets the scene with the same victim contacts.
    await sql(t.db.url, `DELETE FROM users WHERE email = $1 OR phone IN ($2, $3)`, [VICTIM_EMAIL, VICTIM_PHONE, ATTACKER_PHONE]);
    await sql(t.db.url, `DELETE FROM otp_codes`);
  });

  const request = (channel: 'sms' | 'email', destination: string, purpose: 'login' | 'reset') =>
    t.api.POST('/api/v1/auth/otp/request', { body: { channel, destination, purpose } });
  const verify = (channel: 'sms' | 'email', destination: string, purpose: 'login' | 'reset', code: string) =>
    t.api.POST('/api/v1/auth/otp/verify', { body: { channel, destination, purpose, code } });
  const login = (login: string, password: string) => t.api.POST('/api/v1/auth/login', { body: { login, password } });
  const queuedFor = async (recipient: string) => {
    await t.app.get(BackgroundWork).settled();
    return sql<{ template: string }>(t.db.url, `SELECT template FROM notifications WHERE recipient = $1`, [recipient]);
  };

  it('an SMS code does not sign in to an account whose phone is unverified: the account stays as it was', async () => {
    const attacker = await newUser(t, { phone: VICTIM_PHONE, email: undefined });
    expect((await request('sms', VICTIM_PHONE, 'login')).response.status).toBe(202);
    const attempt = await verify('sms', VICTIM_PHONE, 'login', PHONE_CODE);
    expect(attempt.response.status).toBe(401);
    expect(attempt.error).toMatchObject({ code: 'INVALID_CREDENTIALS' });
    const me = expectOk(await attacker.api.GET('/api/v1/users/me'));
    expect(me).toMatchObject({ phoneVerified: false, status: 'pending' });
    expect((await attacker.api.GET('/api/v1/auth/sessions')).data?.items).toHaveLength(1);
  });

  it('the same for an email code', async () => {
    const attacker = await newUser(t, { email: VICTIM_EMAIL });
    expect((await request('email', VICTIM_EMAIL, 'login')).response.status).toBe(202);
    const attempt = await verify('email', VICTIM_EMAIL, 'login', EMAIL_CODE);
    expect(attempt.error).toMatchObject({ code: 'INVALID_CREDENTIALS' });
    expect(expectOk(await attacker.api.GET('/api/v1/users/me'))).toMatchObject({ emailVerified: false });
  });

  it('no sign-in code is even sent to an unverified contact; a verified one gets it and signs in', async () => {
    const phone = uniquePhone();
    const holder = await newUser(t, { phone });
    expect((await request('sms', phone, 'login')).response.status).toBe(202);
    expect(await queuedFor(phone)).toEqual([]);
    await markContactsVerified(t, holder.user.id);
    expect((await request('sms', phone, 'login')).response.status).toBe(202);
    expect(await queuedFor(phone)).toEqual([{ template: 'otp' }]);
  });

  it('a verified phone signs in with its code (the rule is about unverified contacts only)', async () => {
    const owner = await newUser(t, { phone: VICTIM_PHONE });
    await markContactsVerified(t, owner.user.id);
    await request('sms', VICTIM_PHONE, 'login');
    const pair = expectOk(await verify('sms', VICTIM_PHONE, 'login', PHONE_CODE));
    expect(expectOk(await t.as((pair as { accessToken: string }).accessToken).GET('/api/v1/users/me')).id).toBe(owner.user.id);
  });

  it('a reset code does not reach an account through a contact it has not verified while it has verified another', async () => {
    // The account's own verified phone is where recovery goes; the unverified email someone added is not.
    const holder = await newUser(t, { email: VICTIM_EMAIL, phone: ATTACKER_PHONE });
    await sql(t.db.url, `UPDATE users SET phone_verified_at = now(), status = 'active' WHERE id = $1`, [holder.user.id]);
    expect((await request('email', VICTIM_EMAIL, 'reset')).response.status).toBe(202);
    const attempt = await verify('email', VICTIM_EMAIL, 'reset', EMAIL_CODE);
    expect(attempt.response.status).toBe(400);
    expect(attempt.error).toMatchObject({ code: 'OTP_INVALID' });
    const byCode = await t.api.POST('/api/v1/auth/password/reset', { body: { login: VICTIM_EMAIL, code: EMAIL_CODE, newPassword: 'victim-new-password-1' } });
    expect(byCode.error).toMatchObject({ code: 'OTP_INVALID' });
    expect((await login(holder.user.username, holder.password)).response.status).toBe(200);
  });

  it('recovery through the only, unverified contact leaves nothing of whoever registered the account', async () => {
    // Registered with the victim's email and the registrant's own phone, neither verified.
    const attacker = await newUser(t, { email: VICTIM_EMAIL, phone: ATTACKER_PHONE });
    expect((await t.api.POST('/api/v1/auth/password/forgot', { body: { login: VICTIM_EMAIL } })).response.status).toBe(202);
    await t.app.get(BackgroundWork).settled();
    const reset = await t.api.POST('/api/v1/auth/password/reset', { body: { login: VICTIM_EMAIL, code: EMAIL_CODE, newPassword: 'victim-new-password-1' } });
    expect(reset.response.status).toBe(204);

    expect((await login(attacker.user.username, attacker.password)).response.status).toBe(401);
    expect((await attacker.api.GET('/api/v1/users/me')).response.status).toBe(401);
    const victim = expectOk(await login(VICTIM_EMAIL, 'victim-new-password-1'));
    const me = expectOk(await t.as(victim.accessToken).GET('/api/v1/users/me'));
    expect(me).toMatchObject({ email: VICTIM_EMAIL, emailVerified: true, phone: null, status: 'active' });
    // The registrant's phone is gone: its codes reach nothing.
    await request('sms', ATTACKER_PHONE, 'login');
    expect((await verify('sms', ATTACKER_PHONE, 'login', ATTACKER_CODE)).error).toMatchObject({ code: 'INVALID_CREDENTIALS' });
  });

  it('an account with a verified phone and an unverified email recovers through the phone', async () => {
    const names = uniqueName();
    const holder = await newUser(t, { email: names.email, phone: VICTIM_PHONE });
    await sql(t.db.url, `UPDATE users SET phone_verified_at = now(), status = 'active' WHERE id = $1`, [holder.user.id]);
    expect((await t.api.POST('/api/v1/auth/password/forgot', { body: { login: holder.user.username } })).response.status).toBe(202);
    await t.app.get(BackgroundWork).settled();
    const reset = await t.api.POST('/api/v1/auth/password/reset', { body: { login: holder.user.username, code: PHONE_CODE, newPassword: 'holder-new-password-1' } });
    expect(reset.response.status).toBe(204);
    // Its unverified email stays: the proven contact was already the account's.
    expect(expectOk(await t.as(expectOk(await login(VICTIM_PHONE, 'holder-new-password-1')).accessToken).GET('/api/v1/users/me'))).toMatchObject({ email: names.email });
  });
});
