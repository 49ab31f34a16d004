import { Check, Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import type { Channel, NotificationStatus, TemplateName } from '../domain/notification';

/** One message's delivery record. Its contents travel sealed in the queue and are never stored here. */
@Entity('notifications')
@Check('CHK_notifications_status', `"status" IN ('queued', 'sent', 'failed')`)
@Check('CHK_notifications_channel', `"channel" IN ('email', 'sms')`)
@Index('IDX_notifications_created_id', ['createdAt', 'id'])
export class NotificationEntity {
  /** Also the id of its job in the delivery queue. */
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'text' })
  channel: Channel;

  @Column({ type: 'text' })
  template: TemplateName;

  @Column({ type: 'text' })
  recipient: string;

  @Column({ type: 'text', default: 'queued' })
  status: NotificationStatus;

  @Column({ type: 'int', default: 0 })
  attempts: number;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  /** While an attempt is in progress: no other worker may take the record before this instant. */
  @Column({ name: 'leased_until', type: 'timestamptz', nullable: true })
  leasedUntil: Date | null;

  /** Millisecond precision, so that the opaque list cursor (ISO time + id) is exact. */
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt: Date | null;
}
