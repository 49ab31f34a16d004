import { Injectable } from '@nestjs/common';
import type { Actor } from '@app/kernel';
import { CursorCodec, cursorField, Page, toPage } from '@app/kernel';
import type { Channel, NotificationRecord, NotificationStatus } from '../domain/notification';
import { NotificationRepository } from '../domain/ports';

export interface ListNotificationsQuery {
  limit?: number;
  cursor?: string;
  status?: NotificationStatus;
  channel?: Channel;
}

/** Newest first: `created_at` (milliseconds) and `id`. */
const NOTIFICATION_CURSOR = new CursorCodec(cursorField.timestamp(), cursorField.uuid());

/** The notification log for administrators (`notifications:read`, checked by the route), newest first. */
@Injectable()
export class ListNotificationsUseCase {
  constructor(private readonly records: NotificationRepository) {}

  async execute(_actor: Actor, query: ListNotificationsQuery): Promise<Page<NotificationRecord>> {
    const limit = query.limit ?? 20;
    const position = NOTIFICATION_CURSOR.decodeOptional(query.cursor);
    const before = position && { createdAt: position[0], id: position[1] };
    const rows = await this.records.list({ limit: limit + 1, before, status: query.status, channel: query.channel });
    return toPage(rows, limit, NOTIFICATION_CURSOR, (r) => [r.createdAt.toISOString(), r.id]);
  }
}
