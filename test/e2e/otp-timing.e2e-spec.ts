import { Client } from 'pg';
import { BackgroundWork } from '@app/core';
import { newVerifiedUser, uniqueName } from '../support/factories';
import { sql } from '../support/db';
import { uniquePhone } from '../support/messaging';
import { startTestApp, TestApp } from '../support/test-app';

/** Settles with the promise, or fails once `ms` passed (a bound for a hang, not a measurement). */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

// Issue 14, item 8: OTP requests took measurably longer for existing accounts. The timing property is
// shown structurally: with every read of the accounts table blocked, requests for a known and an
// unknown destination are still answered — so no account lookup is awaited before the answer — and
// the account-specific work (the message) happens after it, once the block is lifted.
describe('one-time code requests answer before any account-specific work', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { AUTH_RATE_LIMIT: '100000', OTP_RESEND_SECONDS: '0' } });
  });
  afterAll(() => t.close());

  const queuedFor = (recipient: string) => sql<{ template: string }>(t.db.url, `SELECT template FROM notifications WHERE recipient = $1 AND template = 'otp'`, [recipient]);

  it('answers 202 for known and unknown destinations while the accounts table cannot be read; sends to the account afterwards', async () => {
    const phone = uniquePhone();
    const known = await newVerifiedUser(t, { phone });
    const strangerPhone = uniquePhone();
    const strangerEmail = uniqueName('nobody').email;

    const blocker = new Client({ connectionString: t.db.url });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE users IN ACCESS EXCLUSIVE MODE');
      const requests = [
        { channel: 'sms', destination: phone, purpose: 'login' },
        { channel: 'email', destination: known.user.email!, purpose: 'verify' },
        { channel: 'sms', destination: strangerPhone, purpose: 'login' },
        { channel: 'email', destination: strangerEmail, purpose: 'reset' },
      ] as const;
      for (const body of requests) {
        const answer = await within(t.api.POST('/api/v1/auth/otp/request', { body }), 15_000, `${body.purpose} code for ${body.destination}`);
        expect(answer.response.status).toBe(202);
        expect(answer.data).toEqual({ expiresIn: 120, resendAfter: 0 });
      }
      // Answered, and the account-specific work is still waiting behind the lock: nothing is queued.
      expect(await queuedFor(phone)).toEqual([]);
      expect(await queuedFor(known.user.email!)).toEqual([]);
    } finally {
      await blocker.query('ROLLBACK');
      await blocker.end();
    }
    await t.app.get(BackgroundWork).settled();
    expect(await queuedFor(phone)).toEqual([{ template: 'otp' }]);
    expect(await queuedFor(known.user.email!)).toEqual([{ template: 'otp' }]);
    expect(await queuedFor(strangerPhone)).toEqual([]);
    expect(await queuedFor(strangerEmail)).toEqual([]);
  });
});
