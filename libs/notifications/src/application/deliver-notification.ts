import { Injectable, Logger } from '@nestjs/common';
import type { Counter } from 'prom-client';
import { MetricsService } from '@app/core';
import { renderTemplate } from '../domain/templates';
import { EmailTransport, NotificationRepository, SmsTransport } from '../domain/ports';
import type { TemplateData, TemplateName } from '../domain/notification';
import { PayloadSealer } from './payload-sealer';
import type { SealedPayload } from './notifier';

export interface DeliveryJob {
  notificationId: string;
  sealed: string;
  /** Retries already made by the queue, and how many it allows. */
  retryCount: number;
  retryLimit: number;
  /** How long the queue lets this attempt run before it gives up on it (the record is leased as long). */
  leaseSeconds?: number;
}

/** A failure that no retry can fix (undecryptable payload, unknown template): the record fails at once. */
class PermanentDeliveryError extends Error {}

/**
 * The lease of an attempt unless the queue says otherwise: as long as the queue lets an attempt run
 * (transport timeouts are shorter), so leases never overlap.
 */
export const DELIVERY_LEASE_SECONDS = 120;

/**
 * Delivers one queued message. The record is claimed first (an attempt is counted and the record
 * leased), so a message already sent is never sent again and two workers never send one message at
 * once; it is marked sent exactly once after the transport accepted it. A failed attempt records the
 * error (scrubbed of the message's secrets) and is rethrown so that the queue retries it with
 * backoff; the last allowed attempt marks the record failed.
 */
@Injectable()
export class DeliverNotification {
  private readonly logger = new Logger('Notifications');
  private readonly outcomes: Counter<'channel' | 'outcome'>;

  constructor(
    private readonly records: NotificationRepository,
    private readonly email: EmailTransport,
    private readonly sms: SmsTransport,
    private readonly sealer: PayloadSealer,
    metrics: MetricsService,
  ) {
    this.outcomes = metrics.counter('notification_deliveries_total', 'Notification delivery attempts by channel and outcome', ['channel', 'outcome']);
  }

  async execute(job: DeliveryJob): Promise<void> {
    const claimed = await this.records.claim(job.notificationId, job.leaseSeconds ?? DELIVERY_LEASE_SECONDS);
    if (claimed === 'done') return;
    if (claimed === 'busy') throw new Error('the notification is being delivered by another worker');

    let payload: SealedPayload | undefined;
    try {
      try {
        payload = this.sealer.open<SealedPayload>(job.sealed);
      } catch {
        throw new PermanentDeliveryError('the message contents cannot be opened (was APP_SECRET changed?)');
      }
      await this.transmit(job.notificationId, payload);
    } catch (error) {
      const permanent = error instanceof PermanentDeliveryError;
      const final = permanent || job.retryCount >= job.retryLimit;
      const message = scrub(describe(error), payload);
      await this.records.markAttemptFailed(job.notificationId, message, final);
      this.outcomes.inc({ channel: claimed.channel, outcome: final ? 'failed' : 'retry' });
      this.logger.warn(`Delivery of notification ${job.notificationId} (${claimed.channel}, ${claimed.template}) failed${final ? ' for good' : '; will retry'}: ${message}`);
      if (permanent) return;
      throw new Error(message, { cause: error });
    }
    await this.records.markSent(job.notificationId);
    this.outcomes.inc({ channel: claimed.channel, outcome: 'sent' });
  }

  /**
   * The queue gave up on a message without an attempt recording it — the last attempt hung until
   * the queue expired it, or its worker died: a record still queued is marked failed with the reason.
   */
  async giveUp(notificationId: string, reason: string): Promise<void> {
    const record = await this.records.findById(notificationId);
    if (!record || record.status !== 'queued') return;
    await this.records.markAttemptFailed(notificationId, reason, true);
    this.outcomes.inc({ channel: record.channel, outcome: 'failed' });
    this.logger.warn(`Delivery of notification ${notificationId} (${record.channel}, ${record.template}) failed for good: ${reason}`);
  }

  private async transmit(id: string, payload: SealedPayload): Promise<void> {
    let rendered;
    try {
      rendered = renderTemplate(payload.template as TemplateName, payload.data as TemplateData[TemplateName], payload.channel);
    } catch (error) {
      throw new PermanentDeliveryError(describe(error));
    }
    if (payload.channel === 'email') {
      await this.email.send({ to: payload.to, subject: rendered.subject, text: rendered.text, html: rendered.html, messageId: `<${id}@notifications>` });
    } else {
      await this.sms.send({ to: payload.to, body: rendered.text });
    }
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return `${typeof code === 'string' ? `${code}: ` : ''}${error.message}`.slice(0, 500);
  }
  return String(error).slice(0, 500);
}

/** Removes every secret the message carried (codes, links) from an error text before it is stored or logged. */
function scrub(text: string, payload: SealedPayload | undefined): string {
  let out = text;
  const data = (payload?.data ?? {}) as Record<string, unknown>;
  for (const key of ['code', 'link']) {
    const value = data[key];
    if (typeof value === 'string' && value.length > 0) out = out.split(value).join('[Redacted]');
  }
  return out.replace(/([?&]token=)[^&\s"']+/gi, '$1[Redacted]');
}
