import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '@app/persistence';
import { AuditEvent, AuditEventStore, AuditEventType, AuditQuery } from '../domain/audit-event';

interface Row {
  id: string;
  type: string;
  actor_id: string | null;
  subject_id: string | null;
  ip: string | null;
  user_agent: string | null;
  at: Date;
  data: Record<string, unknown>;
  cursor_at: string;
}

@Injectable()
export class TypeormAuditEventStore extends AuditEventStore {
  constructor(private readonly uow: UnitOfWork) {
    super();
  }

  /** One INSERT (every login writes one, so no entity building on this path). */
  async append(event: Omit<AuditEvent, 'id'>): Promise<AuditEvent> {
    const rows: { id: string }[] = await this.uow.manager.query(
      `INSERT INTO audit_events (type, actor_id, subject_id, ip, user_agent, at, data) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [event.type, event.actorId, event.subjectId, event.ip, event.userAgent, event.at, JSON.stringify(event.data ?? {})],
    );
    return { ...event, id: rows[0].id };
  }

  async find(query: AuditQuery): Promise<(AuditEvent & { cursorAt: string })[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    if (query.userId) {
      const p = param(query.userId);
      where.push(`(actor_id = ${p} OR subject_id = ${p})`);
    }
    if (query.type) where.push(`type = ${param(query.type)}`);
    if (query.from) where.push(`at >= ${param(query.from)}`);
    if (query.to) where.push(`at < ${param(query.to)}`);
    // The cursor carries `at` at full (microsecond) precision, so no row is skipped or repeated.
    if (query.after) where.push(`(at, id) < (${param(query.after.at)}::timestamptz, ${param(query.after.id)}::uuid)`);
    const rows: Row[] = await this.uow.manager.query(
      `SELECT id, type, actor_id, subject_id, ip, user_agent, at, data,
              to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_at
         FROM audit_events
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY at DESC, id DESC
        LIMIT ${param(query.limit + 1)}`,
      params,
    );
    return rows.map((r) => ({
      id: r.id,
      type: r.type as AuditEventType,
      actorId: r.actor_id,
      subjectId: r.subject_id,
      ip: r.ip,
      userAgent: r.user_agent,
      at: r.at,
      data: r.data,
      cursorAt: r.cursor_at,
    }));
  }
}
