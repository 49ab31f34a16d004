import { Notifier } from '@app/notifications';
import { UnitOfWork } from '@app/persistence';
import type { ApiClient, Schemas } from '@identity-task/client';
import { expectOk, loginAdmin, newUser, uniqueName, WITH_ADMIN } from '../support/factories';
import { sql } from '../support/db';
import { eventually } from '../support/eventually';
import { Messaging, startMessaging, uniquePhone } from '../support/messaging';
import { startTestApp, TestApp } from '../support/test-app';

// Deliveries go through the real queue, SMTP server and Twilio stand-in: allow for retries with backoff.
jest.setTimeout(60_000);

type NotificationDto = Schemas['NotificationDto'];

const until = <T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000) => eventually(what, probe, timeoutMs);

describe('notifications: delivery queue and log', () => {
  let m: Messaging;
  let t: TestApp;
  let admin: ApiClient;
  beforeAll(async () => {
    m = await startMessaging();
    t = await startTestApp({ env: { ...m.env, ...WITH_ADMIN, NOTIFICATION_RETRY_LIMIT: '3', OTP_RESEND_SECONDS: '0' } });
    admin = (await loginAdmin(t)).api;
  });
  afterAll(async () => {
    await t.close();
    await m.stop();
  });

  const recordsFor = async (recipient: string): Promise<NotificationDto[]> => {
    const out: NotificationDto[] = [];
    let cursor: string | undefined;
    do {
      const page = expectOk(await admin.GET('/api/v1/notifications', { params: { query: { limit: 100, cursor } } }));
      out.push(...page.items.filter((n) => n.recipient === recipient));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return out;
  };

  it('SMTP outage: requests answer normally, deliveries are retried, and every message arrives once when the server is back', async () => {
    await m.smtp.stop();
    const names = uniqueName('outage');
    const password = 'outage-password-123';
    const registered = await t.api.POST('/api/v1/auth/register', { body: { username: names.username, email: names.email, password } });
    expect(registered.response.status).toBe(201);
    expect((await t.api.POST('/api/v1/auth/password/forgot', { body: { login: names.email } })).response.status).toBe(202);
    expect((await t.api.POST('/api/v1/auth/otp/request', { body: { channel: 'email', destination: names.email, purpose: 'verify' } })).response.status).toBe(202);

    // Attempts fail and are recorded, and the messages stay queued.
    const failing = await until('failed attempts', async () => {
      const records = await recordsFor(names.email);
      return records.length === 3 && records.every((r) => r.attempts >= 1 && r.lastError) ? records : undefined;
    });
    for (const r of failing) {
      expect(r.status).toBe('queued');
      expect(r.sentAt).toBeNull();
      expect(r.lastError).toMatch(/ECONNREFUSED|connect/i);
    }

    await m.smtp.start();
    const sent = await until('delivery after the outage', async () => {
      const records = await recordsFor(names.email);
      return records.every((r) => r.status === 'sent') ? records : undefined;
    });
    expect(sent.map((r) => r.template).sort()).toEqual(['email_verification', 'otp', 'password_reset']);
    for (const r of sent) {
      expect(r.attempts).toBeGreaterThanOrEqual(2);
      expect(r.sentAt).not.toBeNull();
    }
    // Every delivery job of these messages has finished (pg-boss job id = notification id): no attempt
    // that could send a duplicate is left, so what the SMTP server holds now is all it will get.
    const ids = sent.map((r) => r.id);
    await until('the delivery jobs to finish', async () => {
      const [{ open }] = await sql<{ open: number }>(t.db.url, `SELECT count(*)::int AS open FROM pgboss.job WHERE id = ANY($1::uuid[]) AND state IN ('created', 'retry', 'active')`, [ids]);
      return open === 0 ? true : undefined;
    });
    const mails = m.smtp.to(names.email);
    expect(mails).toHaveLength(3);
    expect(new Set(mails.map((x) => x.messageId)).size).toBe(3);
    expect(mails.map((x) => x.messageId).sort()).toEqual(sent.map((r) => `<${r.id}@notifications>`).sort());
  });

  it('a change that rolls back sends nothing and leaves no record', async () => {
    const email = uniqueName('rollback').email;
    const uow = t.app.get(UnitOfWork);
    const notifier = t.app.get(Notifier);
    await expect(
      uow.run(async () => {
        await notifier.send({ channel: 'email', to: email, template: 'password_changed', data: { at: 'now' } });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    await notifier.send({ channel: 'email', to: email, template: 'account_locked', data: { minutes: 1 } });
    // Committed state: the rolled-back message left no record (and no job), so nothing can ever send it.
    const rows = await sql(t.db.url, 'SELECT template FROM notifications WHERE recipient = $1', [email]);
    expect(rows).toEqual([{ template: 'account_locked' }]);
    await m.smtp.waitFor(email);
    expect(m.smtp.to(email).map((x) => x.subject)).toEqual(['Sign-in to your account was paused']);
  });

  it('an SMS provider that keeps failing is retried with backoff, then the message is marked failed', async () => {
    const phone = uniquePhone();
    await newUser(t, { phone });
    m.twilio.failWith = 503;
    try {
      expect((await t.api.POST('/api/v1/auth/otp/request', { body: { channel: 'sms', destination: phone, purpose: 'verify' } })).response.status).toBe(202);
      const failed = await until(
        'the final failure',
        async () => {
          const [record] = await recordsFor(phone);
          return record?.status === 'failed' ? record : undefined;
        },
        45_000,
      );
      expect(failed).toMatchObject({ channel: 'sms', template: 'otp', attempts: 4, sentAt: null });
      expect(failed.lastError).toContain('Twilio answered 503');
      expect(failed.lastError).not.toMatch(/\d{6}/);
      expect(m.twilio.to(phone)).toHaveLength(0);
    } finally {
      m.twilio.failWith = undefined;
    }
  }, 60_000);

  it('GET /notifications needs notifications:read, pages with a cursor, and never shows contents', async () => {
    const u = await newUser(t);
    await m.smtp.waitFor(u.user.email!);
    const denied = await u.api.GET('/api/v1/notifications');
    expect(denied.response.status).toBe(403);
    expect((await t.api.GET('/api/v1/notifications')).response.status).toBe(401);

    const first = expectOk(await admin.GET('/api/v1/notifications', { params: { query: { limit: 2 } } }));
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = expectOk(await admin.GET('/api/v1/notifications', { params: { query: { limit: 2, cursor: first.nextCursor! } } }));
    expect(second.items.map((n) => n.id)).not.toContain(first.items[0].id);
    expect(Date.parse(second.items[0].createdAt)).toBeLessThanOrEqual(Date.parse(first.items[1].createdAt));
    const item = first.items[0];
    expect(Object.keys(item).sort()).toEqual(['attempts', 'channel', 'createdAt', 'id', 'lastError', 'recipient', 'sentAt', 'status', 'template']);

    const sms = expectOk(await admin.GET('/api/v1/notifications', { params: { query: { channel: 'sms', status: 'failed' } } }));
    expect(sms.items.every((n) => n.channel === 'sms' && n.status === 'failed')).toBe(true);
    const bad = await admin.GET('/api/v1/notifications', { params: { query: { cursor: 'nonsense' } } });
    expect(bad.response.status).toBe(400);
  });
});

describe('notifications: a delivery whose attempts hang', () => {
  let m: Messaging;
  let t: TestApp;
  beforeAll(async () => {
    m = await startMessaging();
    // Twilio's requests time out after 15 s; the queue gives up on an attempt after 2 s.
    t = await startTestApp({ env: { ...m.env, NOTIFICATION_RETRY_LIMIT: '1', NOTIFICATION_ATTEMPT_TIMEOUT: '2', OTP_RESEND_SECONDS: '0' } });
  });
  afterAll(async () => {
    await t.close();
    await m.stop();
  });

  it('ends failed, with the reason, when its last attempt hangs until the queue expires it (never queued for ever)', async () => {
    const phone = uniquePhone();
    await newUser(t, { phone });
    m.twilio.hang = true;
    expect((await t.api.POST('/api/v1/auth/otp/request', { body: { channel: 'sms', destination: phone, purpose: 'verify' } })).response.status).toBe(202);
    const failed = await until(
      'the record to fail',
      async () => {
        const [row] = await sql(t.db.url, `SELECT status, attempts, last_error FROM notifications WHERE recipient = $1`, [phone]);
        return row?.status === 'failed' ? row : undefined;
      },
      20_000,
    );
    // Both attempts (the first and its one retry) reached the provider and hung there.
    expect(failed).toEqual({ status: 'failed', attempts: 2, last_error: expect.stringMatching(/^the queue gave up: handler execution exceeded 2000ms/) });
    expect(m.twilio.hung).toBe(2);
    expect(m.twilio.to(phone)).toHaveLength(0);
  }, 40_000);
});
