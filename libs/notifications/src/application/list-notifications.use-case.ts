import { Injectable } from '@nestjs/common';
import type { Actor } from '@app/access';
import { decodeCursor, Page, toPage } from '@app/core';
import type { Channel, NotificationRecord, NotificationStatus } from '../domain/notification';
import { NotificationRepository } from '../domain/ports';

export interface ListNotificationsQuery {
  limit?: number;
  cursor?: string;
  status?: NotificationStatus;
  channel?: Channel;
}

/** The notification log for administrators (`notifications:read`, checked by the route), newest first. */
@Injectable()
export class ListNotificationsUseCase {
  constructor(private readonly records: NotificationRepository) {}

  async execute(_actor: Actor, query: ListNotificationsQuery): Promise<Page<NotificationRecord>> {
    const limit = query.limit ?? 20;
    let before: { createdAt: string; id: string } | undefined;
    if (query.cursor) {
      const [createdAt, id] = decodeCursor(query.cursor, 2);
      before = { createdAt: String(createdAt), id: String(id) };
    }
    const rows = await this.records.list({ limit: limit + 1, before, status: query.status, channel: query.channel });
    return toPage(rows, limit, (r) => [r.createdAt.toISOString(), r.id]);
  }
}
