import { Injectable } from '@nestjs/common';
import { Actor, can } from '@app/kernel';
import { PgListener, UnitOfWork } from '@app/persistence';
import { TaskEventLog } from '../domain/ports';
import { NewTaskEvent, TaskEvent } from '../domain/task-event';
import { EVENT_COLUMNS, eventFromRow, EventRow, eventToRow, toSnapshot } from './task-rows';

export const TASK_EVENTS_CHANNEL = 'task_events';
/** NOTIFY payloads must stay under 8000 bytes; bigger events travel by id and are read back. */
const MAX_INLINE_PAYLOAD = 7000;

/** What a notification on `task_events` carries: the whole event when it fits, else its id. */
export type EventNotice = { id: string; event?: EventRow };

/**
 * The event log in Postgres. Appending also sends a notification in the same transaction, so every
 * instance hears of the event exactly when it commits (and never of a rolled-back one).
 */
@Injectable()
export class PgTaskEventLog extends TaskEventLog {
  constructor(private readonly uow: UnitOfWork) {
    super();
  }

  async append(event: NewTaskEvent): Promise<TaskEvent> {
    // Ids must commit in order, or a client resuming from the newest id it saw could skip an older id
    // that committed later. A transaction-scoped lock, taken just before the id is drawn (appending is
    // the last write of every task use case, so nothing is waited for while holding it), makes event
    // ids commit in the order they are drawn.
    await this.uow.manager.query(`SELECT pg_advisory_xact_lock(hashtextextended('task_events', 0))`);
    const rows: { id: string; created_at: Date }[] = await this.uow.manager.query(
      `INSERT INTO task_events (task_id, type, actor_id, owner_id, audience, changes, task)
       VALUES ($1, $2, $3, $4, $5::uuid[], $6::jsonb, $7::jsonb) RETURNING id, created_at`,
      [event.taskId, event.type, event.actorId, event.task.ownerId, event.audience, JSON.stringify(event.changes), JSON.stringify(toSnapshot(event.task))],
    );
    const stored: TaskEvent = { ...event, id: Number(rows[0].id), at: rows[0].created_at };
    const full = JSON.stringify({ id: rows[0].id, event: eventToRow(stored) } satisfies EventNotice);
    await PgListener.notify(
      this.uow.manager,
      TASK_EVENTS_CHANNEL,
      Buffer.byteLength(full) <= MAX_INLINE_PAYLOAD ? full : JSON.stringify({ id: rows[0].id } satisfies EventNotice),
    );
    return stored;
  }

  async history(taskId: string, afterId: number, limit: number): Promise<TaskEvent[]> {
    const rows: EventRow[] = await this.uow.manager.query(
      `SELECT ${EVENT_COLUMNS} FROM task_events e WHERE e.task_id = $1 AND e.id > $2 ORDER BY e.id LIMIT $3`,
      [taskId, afterId, limit],
    );
    return rows.map(eventFromRow);
  }

  async since(actor: Actor, afterId: number, limit: number): Promise<TaskEvent[]> {
    const everything = can(actor, 'tasks:read:any');
    const rows: EventRow[] = await this.uow.manager.query(
      `SELECT ${EVENT_COLUMNS} FROM task_events e
        WHERE e.id > $1 ${everything ? '' : 'AND e.audience && ARRAY[$3::uuid]'}
        ORDER BY e.id LIMIT $2`,
      everything ? [afterId, limit] : [afterId, limit, actor.userId],
    );
    return rows.map(eventFromRow);
  }

  /** The newest event id (0 when the log is empty). */
  async lastId(): Promise<number> {
    const rows: { id: string }[] = await this.uow.manager.query(`SELECT coalesce(max(id), 0) AS id FROM task_events`);
    return Number(rows[0].id);
  }

  /** Every event after an id, in order (to catch up after the listener connection was lost). */
  async after(afterId: number, limit: number): Promise<TaskEvent[]> {
    const rows: EventRow[] = await this.uow.manager.query(`SELECT ${EVENT_COLUMNS} FROM task_events e WHERE e.id > $1 ORDER BY e.id LIMIT $2`, [afterId, limit]);
    return rows.map(eventFromRow);
  }

  /** Events by id, in order (for notifications too big to carry the event). */
  async byIds(ids: string[]): Promise<TaskEvent[]> {
    if (ids.length === 0) return [];
    const rows: EventRow[] = await this.uow.manager.query(`SELECT ${EVENT_COLUMNS} FROM task_events e WHERE e.id = ANY($1::bigint[]) ORDER BY e.id`, [ids]);
    return rows.map(eventFromRow);
  }
}
