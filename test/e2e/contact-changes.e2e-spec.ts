import { BackgroundWork } from '@app/core';
import { expectOk, newUser, newVerifiedUser, uniqueName } from '../support/factories';
import { sql } from '../support/db';
import { Messaging, startMessaging, uniquePhone } from '../support/messaging';
import { linkIn } from '../support/smtp';
import { startTestApp, TestApp } from '../support/test-app';

// Issue 14, item 8: email changes told whether an address has an account (409) and mailed strangers
// without limit. A new address is now only asked for: it is mailed a link (unless it is someone
// else's, then nothing, and the caller is not told), becomes the account's once the link is opened,
// and new addresses and numbers are limited per user.
jest.setTimeout(60_000);

describe('email and phone changes on /users/me', () => {
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

  /** The verification links queued for an address, once the background work has finished. */
  const linksTo = async (address: string) => {
    await t.app.get(BackgroundWork).settled();
    return sql<{ id: string }>(t.db.url, `SELECT id FROM notifications WHERE recipient = $1 AND template = 'email_verification'`, [address]);
  };
  it('answers alike whether or not the new address has an account, and mails only a free one', async () => {
    const u = await newVerifiedUser(t);
    const owner = await newUser(t);
    const free = uniqueName('free').email;

    const toTaken = await u.api.PATCH('/api/v1/users/me', { body: { email: owner.user.email!.toUpperCase() } });
    expect(toTaken.response.status).toBe(200);
    expect(toTaken.data).toMatchObject({ email: u.user.email, emailVerified: true, pendingEmail: owner.user.email });
    expect(await linksTo(owner.user.email!)).toHaveLength(1); // only the one from the owner's registration

    const toFree = await u.api.PATCH('/api/v1/users/me', { body: { email: free } });
    expect(toFree.response.status).toBe(200);
    expect(toFree.data).toMatchObject({ email: u.user.email, emailVerified: true, pendingEmail: free });
    expect(await linksTo(free)).toHaveLength(1);

    // Until the link is opened the address is not the account's: no sign-in with it, nobody loses it.
    expect((await t.api.POST('/api/v1/auth/login', { body: { login: free, password: u.password } })).response.status).toBe(401);
    expect((await t.api.POST('/api/v1/auth/login', { body: { login: u.user.email!, password: u.password } })).response.status).toBe(200);
  });

  it('the link makes the new address the account’s, verified', async () => {
    const u = await newVerifiedUser(t);
    const next = uniqueName('next').email;
    expectOk(await u.api.PATCH('/api/v1/users/me', { body: { email: next } }));
    expect(await linksTo(next)).toHaveLength(1);
    const token = new URL(linkIn((await m.smtp.waitForSubject(next, 'Verify your email address')).text)).searchParams.get('token')!;
    expect((await t.api.POST('/api/v1/auth/email/verify', { body: { token } })).response.status).toBe(204);
    expect(expectOk(await u.api.GET('/api/v1/users/me'))).toMatchObject({ email: next, emailVerified: true, pendingEmail: null, status: 'active' });
  });

  it('limits new addresses and numbers per user: 429 CONTACT_CHANGE_LIMIT with Retry-After, also for taken ones', async () => {
    const u = await newVerifiedUser(t);
    const other = await newUser(t, { phone: uniquePhone() });
    const answers: number[] = [];
    for (let i = 0; i < 3; i++) answers.push((await u.api.PATCH('/api/v1/users/me', { body: { email: uniqueName('probe').email } })).response.status);
    answers.push((await u.api.PATCH('/api/v1/users/me', { body: { phone: other.user.phone! } })).response.status);
    answers.push((await u.api.PATCH('/api/v1/users/me', { body: { phone: uniquePhone() } })).response.status);
    expect(answers).toEqual([200, 200, 200, 409, 200]);
    const capped = await u.api.PATCH('/api/v1/users/me', { body: { email: uniqueName('probe').email } });
    expect(capped.response.status).toBe(429);
    expect(capped.error).toMatchObject({ code: 'CONTACT_CHANGE_LIMIT' });
    expect(Number(capped.response.headers.get('retry-after'))).toBeGreaterThan(80_000);
    expect((await u.api.PATCH('/api/v1/users/me', { body: { phone: other.user.phone! } })).response.status).toBe(429);
    expect((await u.api.POST('/api/v1/auth/email/resend')).response.status).toBe(429);
    // Names are not contact changes.
    expect((await u.api.PATCH('/api/v1/users/me', { body: { firstName: 'Still' } })).response.status).toBe(200);
  });
});
