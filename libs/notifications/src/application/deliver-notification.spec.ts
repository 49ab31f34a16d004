import { Logger } from '@nestjs/common';
import { MetricsService, ServerSecret } from '@app/core';
import type { NotificationRecord } from '../domain/notification';
import { EmailMessage, EmailTransport, NotificationFilter, NotificationRepository, SmsTransport } from '../domain/ports';
import { DeliverNotification } from './deliver-notification';
import { PayloadSealer } from './payload-sealer';

class MemoryRecords extends NotificationRepository {
  readonly rows = new Map<string, NotificationRecord & { leased: boolean }>();
  async create(r: { id: string; channel: NotificationRecord['channel']; template: NotificationRecord['template']; recipient: string }) {
    this.rows.set(r.id, { ...r, status: 'queued', attempts: 0, lastError: null, createdAt: new Date(), sentAt: null, leased: false });
  }
  async claim(id: string) {
    const row = this.rows.get(id);
    if (!row || row.status !== 'queued') return 'done' as const;
    if (row.leased) return 'busy' as const;
    row.attempts += 1;
    row.leased = true;
    return { ...row };
  }
  async markSent(id: string) {
    const row = this.rows.get(id)!;
    if (row.status === 'queued') Object.assign(row, { status: 'sent', sentAt: new Date(), leased: false });
  }
  async markAttemptFailed(id: string, error: string, final: boolean) {
    const row = this.rows.get(id)!;
    if (row.status === 'queued') Object.assign(row, { lastError: error, leased: false, status: final ? 'failed' : 'queued' });
  }
  async findById(id: string) {
    return this.rows.get(id) ?? null;
  }
  async list(_f: NotificationFilter) {
    return [...this.rows.values()];
  }
}

class FlakyEmail extends EmailTransport {
  readonly sent: EmailMessage[] = [];
  failing = false;
  async send(message: EmailMessage) {
    if (this.failing) throw Object.assign(new Error(`connect ECONNREFUSED while sending ${message.text.match(/\d{6}/)?.[0]}`), { code: 'ECONNECTION' });
    this.sent.push(message);
  }
}

class NoSms extends SmsTransport {
  async send() {
    throw new Error('not used');
  }
}

describe('DeliverNotification', () => {
  beforeAll(() => Logger.overrideLogger(false));
  const sealer = new PayloadSealer({ key: () => Buffer.alloc(32, 7) } as unknown as ServerSecret);
  let records: MemoryRecords;
  let email: FlakyEmail;
  let deliver: DeliverNotification;
  const payload = sealer.seal({ channel: 'email', to: 'a@example.test', template: 'otp', data: { code: '424242', purpose: 'login', minutes: 2 } });

  beforeEach(async () => {
    records = new MemoryRecords();
    email = new FlakyEmail();
    deliver = new DeliverNotification(records, email, new NoSms(), sealer, new MetricsService());
    await records.create({ id: 'n1', channel: 'email', template: 'otp', recipient: 'a@example.test' });
  });

  it('sends once and marks the record sent; a repeated job sends nothing more', async () => {
    await deliver.execute({ notificationId: 'n1', sealed: payload, retryCount: 0, retryLimit: 3 });
    await deliver.execute({ notificationId: 'n1', sealed: payload, retryCount: 1, retryLimit: 3 });
    expect(email.sent).toHaveLength(1);
    expect(email.sent[0]).toMatchObject({ to: 'a@example.test', messageId: '<n1@notifications>' });
    expect(records.rows.get('n1')).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('records a failed attempt without the code and rethrows for a retry; the last one fails the record', async () => {
    email.failing = true;
    await expect(deliver.execute({ notificationId: 'n1', sealed: payload, retryCount: 0, retryLimit: 1 })).rejects.toThrow(/ECONNREFUSED/);
    expect(records.rows.get('n1')).toMatchObject({ status: 'queued', attempts: 1 });
    expect(records.rows.get('n1')!.lastError).toContain('[Redacted]');
    expect(records.rows.get('n1')!.lastError).not.toContain('424242');
    await expect(deliver.execute({ notificationId: 'n1', sealed: payload, retryCount: 1, retryLimit: 1 })).rejects.toThrow();
    expect(records.rows.get('n1')).toMatchObject({ status: 'failed', attempts: 2 });
  });

  it('does not send while another worker holds the record', async () => {
    await records.claim('n1');
    await expect(deliver.execute({ notificationId: 'n1', sealed: payload, retryCount: 0, retryLimit: 3 })).rejects.toThrow(/another worker/);
    expect(email.sent).toHaveLength(0);
  });

  it('fails at once, without retrying, when the contents cannot be opened', async () => {
    await deliver.execute({ notificationId: 'n1', sealed: Buffer.alloc(40).toString('base64'), retryCount: 0, retryLimit: 3 });
    expect(records.rows.get('n1')).toMatchObject({ status: 'failed' });
    expect(email.sent).toHaveLength(0);
  });
});
