import { Injectable } from '@nestjs/common';
import type { Actor } from '@app/access';
import { decodeCursor, Page, toPage, ValidationFailedError } from '@app/core';
import { AuditEvent, AuditEventStore, AuditEventType } from '../domain/audit-event';

export interface AuditFilter {
  userId?: string;
  type?: AuditEventType;
  from?: Date;
  to?: Date;
  limit?: number;
  cursor?: string;
}

/** Reads the audit log, newest first, with keyset paging (the route demands `audit:read`). */
@Injectable()
export class ListAuditEventsUseCase {
  constructor(private readonly store: AuditEventStore) {}

  async execute(_actor: Actor, filter: AuditFilter): Promise<Page<AuditEvent>> {
    const limit = filter.limit ?? 20;
    let after: { at: string; id: string } | undefined;
    if (filter.cursor) {
      const [at, id] = decodeCursor(filter.cursor, 2);
      if (typeof at !== 'string' || typeof id !== 'string') {
        throw new ValidationFailedError('The cursor is not valid', [{ field: 'cursor', message: 'invalid cursor' }], 'INVALID_CURSOR');
      }
      after = { at: at as string, id: id as string };
    }
    const rows = await this.store.find({ userId: filter.userId, type: filter.type, from: filter.from, to: filter.to, limit, after });
    const page = toPage(rows, limit, (last) => [last.cursorAt, last.id]);
    return { items: page.items.map(({ cursorAt: _, ...event }) => event), nextCursor: page.nextCursor };
  }
}
