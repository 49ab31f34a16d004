import { Injectable } from '@nestjs/common';
import type { Actor } from '@app/kernel';
import { CursorCodec, cursorField, Page, toPage } from '@app/kernel';
import { AuditEvent, AuditEventStore, AuditEventType } from '../domain/audit-event';

export interface AuditFilter {
  userId?: string;
  type?: AuditEventType;
  from?: Date;
  to?: Date;
  limit?: number;
  cursor?: string;
}

/** Newest first: `at` (microseconds) and `id`. */
const AUDIT_CURSOR = new CursorCodec(cursorField.timestamp(), cursorField.uuid());

/** Reads the audit log, newest first, with keyset paging (the route demands `audit:read`). */
@Injectable()
export class ListAuditEventsUseCase {
  constructor(private readonly store: AuditEventStore) {}

  async execute(_actor: Actor, filter: AuditFilter): Promise<Page<AuditEvent>> {
    const limit = filter.limit ?? 20;
    const position = AUDIT_CURSOR.decodeOptional(filter.cursor);
    const after = position && { at: position[0], id: position[1] };
    const rows = await this.store.find({ userId: filter.userId, type: filter.type, from: filter.from, to: filter.to, limit, after });
    const page = toPage(rows, limit, AUDIT_CURSOR, (last) => [last.cursorAt, last.id]);
    return { items: page.items.map(({ cursorAt: _, ...event }) => event), nextCursor: page.nextCursor };
  }
}
