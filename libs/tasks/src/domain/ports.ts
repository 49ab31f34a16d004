import type { Actor } from '@app/kernel';
import type { Task, TaskFields } from './task';
import type { NewTaskEvent, TaskEvent } from './task-event';
import type { TaskQuery } from './task-query';

/**
 * Port: tasks. Reads are scoped to what the actor may see in SQL (owner, assignee, or every task
 * with `tasks:read:any`), never filtered afterwards. Implementations join the ambient unit of work.
 */
export abstract class TaskRepository {
  /** The task when it exists and the actor may read it. */
  abstract findVisible(actor: Actor, id: string): Promise<Task | null>;
  /** One indexed query: filters, sort and keyset position applied in SQL. */
  abstract list(actor: Actor, query: TaskQuery): Promise<Task[]>;
  /** Throws AssigneeNotFoundError when `assigneeId` names no user. */
  abstract insert(ownerId: string, fields: TaskFields): Promise<Task>;
  /**
   * `UPDATE … WHERE id = $1 AND version = $2`, bumping the version: null when the version moved on
   * (or the task is gone). Throws AssigneeNotFoundError as `insert` does.
   */
  abstract updateIfVersion(id: string, version: number, changes: Partial<TaskFields>): Promise<Task | null>;
  /** `DELETE … WHERE id = $1 AND version = $2`: false when the version moved on. */
  abstract deleteIfVersion(id: string, version: number): Promise<boolean>;
}

/** Port: the task event log. */
export abstract class TaskEventLog {
  /** Appends in the ambient unit of work; the real-time feed hears of it once that commits. */
  abstract append(event: NewTaskEvent): Promise<TaskEvent>;
  /** Events of one task in order, after the given event id. */
  abstract history(taskId: string, afterId: number, limit: number): Promise<TaskEvent[]>;
  /** Events the actor is entitled to, in order, after the given event id. */
  abstract since(actor: Actor, afterId: number, limit: number): Promise<TaskEvent[]>;
}

export type TaskEventSubscriber = (event: TaskEvent) => void;

/** Committed task events as they happen, on every instance, in commit order. */
export abstract class TaskEventStream {
  /** Returns the unsubscribe function. */
  abstract subscribe(subscriber: TaskEventSubscriber): () => void;
}
