import type { Channel, NotificationRecord, TemplateName } from './notification';

export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Stable per notification, so a receiving server can recognise a retried delivery. */
  messageId: string;
}

/** Sends one email; throws when the message was not accepted. */
export abstract class EmailTransport {
  abstract send(message: EmailMessage): Promise<void>;
}

/** Sends one SMS; throws when the provider did not accept it. */
export abstract class SmsTransport {
  abstract send(message: { to: string; body: string }): Promise<void>;
}

export interface NotificationFilter {
  limit: number;
  /** Keyset: items strictly older than this (createdAt, id). */
  before?: { createdAt: string; id: string };
  status?: NotificationRecord['status'];
  channel?: Channel;
}

/** Delivery records. Writes take part in the ambient unit of work. */
export abstract class NotificationRepository {
  abstract create(record: { id: string; channel: Channel; template: TemplateName; recipient: string }): Promise<void>;
  /**
   * Takes the record for one delivery attempt: counts the attempt and leases the record for
   * `leaseSeconds`, unless it is already sent or failed (`done`) or another worker holds it (`busy`).
   */
  abstract claim(id: string, leaseSeconds: number): Promise<NotificationRecord | 'done' | 'busy'>;
  /** Marks the record sent, once: a record already sent stays as it was. */
  abstract markSent(id: string): Promise<void>;
  abstract markAttemptFailed(id: string, error: string, final: boolean): Promise<void>;
  abstract findById(id: string): Promise<NotificationRecord | null>;
  abstract list(filter: NotificationFilter): Promise<NotificationRecord[]>;
}

/** The durable queue behind delivery (the same Postgres as the change that causes a message). */
export abstract class DeliveryQueue {
  /** Enqueues in the ambient unit of work: a rolled-back change enqueues nothing. */
  abstract enqueue(notificationId: string, sealedPayload: string): Promise<void>;
}
