import { TASK_PRIORITIES, Task } from '../domain/task';
import type { TaskEvent } from '../domain/task-event';
import type { TaskSnapshot } from './task-event.entity';

/** Columns of `tasks` as raw queries return them. */
export interface TaskRow {
  id: string;
  title: string;
  description: string | null;
  status: Task['status'];
  priority: number;
  due_at: Date | null;
  owner_id: string;
  assignee_id: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

export const TASK_COLUMNS = 't.id, t.title, t.description, t.status, t.priority, t.due_at, t.owner_id, t.assignee_id, t.version, t.created_at, t.updated_at';

export function taskFromRow(r: TaskRow): Task {
  return {
    id: r.id,
    title: r.title,
    description: r.description,
    status: r.status,
    priority: TASK_PRIORITIES[r.priority],
    dueAt: r.due_at,
    ownerId: r.owner_id,
    assigneeId: r.assignee_id,
    version: r.version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function toSnapshot(t: Task): TaskSnapshot {
  return {
    id: t.id,
    title: t.title,
    description: t.description,
    status: t.status,
    priority: t.priority,
    dueAt: t.dueAt?.toISOString() ?? null,
    ownerId: t.ownerId,
    assigneeId: t.assigneeId,
    version: t.version,
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
  };
}

export function fromSnapshot(s: TaskSnapshot): Task {
  return {
    id: s.id,
    title: s.title,
    description: s.description,
    status: s.status as Task['status'],
    priority: s.priority as Task['priority'],
    dueAt: s.dueAt === null ? null : new Date(s.dueAt),
    ownerId: s.ownerId,
    assigneeId: s.assigneeId,
    version: s.version,
    createdAt: new Date(s.createdAt),
    updatedAt: new Date(s.updatedAt),
  };
}

/** Columns of `task_events` as raw queries return them (also the shape sent in notifications). */
export interface EventRow {
  id: string;
  task_id: string;
  type: TaskEvent['type'];
  actor_id: string | null;
  audience: string[];
  changes: TaskEvent['changes'];
  task: TaskSnapshot;
  created_at: Date | string;
}

export const EVENT_COLUMNS = 'e.id, e.task_id, e.type, e.actor_id, e.audience, e.changes, e.task, e.created_at';

export function eventFromRow(r: EventRow): TaskEvent {
  return {
    id: Number(r.id),
    taskId: r.task_id,
    type: r.type,
    actorId: r.actor_id,
    audience: r.audience,
    changes: r.changes,
    task: fromSnapshot(r.task),
    at: new Date(r.created_at),
  };
}

export function eventToRow(e: TaskEvent): EventRow {
  return {
    id: String(e.id),
    task_id: e.taskId,
    type: e.type,
    actor_id: e.actorId,
    audience: e.audience,
    changes: e.changes,
    task: toSnapshot(e.task),
    created_at: e.at.toISOString(),
  };
}
