import { BackgroundWork } from '@app/core';
import { newVerifiedUser } from '../support/factories';
import { sql } from '../support/db';
import { startTestApp, TestApp } from '../support/test-app';

// Issue 14, item 7: unauthenticated one-time-code requests cannot silence someone else's recovery.
describe('the recovery budget', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { AUTH_RATE_LIMIT: '100000', OTP_RESEND_SECONDS: '0', OTP_DAILY_LIMIT: '3', TRUST_PROXY: '1' } });
  });
  afterAll(() => t.close());

  const ATTACKER = { 'x-forwarded-for': '203.0.113.66' };
  const VICTIM = { 'x-forwarded-for': '198.51.100.7' };
  const otpRequest = (headers: Record<string, string>, destination: string, purpose: 'login' | 'verify' | 'register' | 'reset') =>
    t.api.POST('/api/v1/auth/otp/request', { body: { channel: 'email', destination, purpose }, headers });
  const forgot = (headers: Record<string, string>, login: string) => t.api.POST('/api/v1/auth/password/forgot', { body: { login }, headers });
  /** Reset emails queued for the address, once every piece of background work has finished. */
  const resetMails = async (email: string) => {
    await t.app.get(BackgroundWork).settled();
    const rows = await sql<{ n: number }>(t.db.url, `SELECT count(*)::int AS n FROM notifications WHERE recipient = $1 AND template = 'password_reset'`, [email]);
    return rows[0].n;
  };

  it('codes for other purposes do not spend the recovery budget', async () => {
    const u = await newVerifiedUser(t);
    const email = u.user.email!;
    for (const purpose of ['login', 'verify', 'register'] as const) expect((await otpRequest(ATTACKER, email, purpose)).response.status).toBe(202);
    const spent = await otpRequest(ATTACKER, email, 'login');
    expect(spent.response.status).toBe(429);
    expect(spent.error).toMatchObject({ code: 'OTP_DAILY_LIMIT' });

    expect((await forgot(VICTIM, email)).response.status).toBe(202);
    expect(await resetMails(email)).toBe(1);
  });

  it('someone else’s recovery requests do not spend the account holder’s either', async () => {
    const u = await newVerifiedUser(t);
    const email = u.user.email!;
    for (let i = 0; i < 3; i++) expect((await otpRequest(ATTACKER, email, 'reset')).response.status).toBe(202);
    const spent = await otpRequest(ATTACKER, email, 'reset');
    expect(spent.response.status).toBe(429);
    expect(spent.error).toMatchObject({ code: 'OTP_DAILY_LIMIT' });
    // The attacker's forgot-password is silently capped too: nothing more is sent for it.
    expect((await forgot(ATTACKER, email)).response.status).toBe(202);
    expect(await resetMails(email)).toBe(0);

    expect((await forgot(VICTIM, email)).response.status).toBe(202);
    expect(await resetMails(email)).toBe(1);
  });
});
