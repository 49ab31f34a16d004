import type { FieldChange, Task } from './task';

export const TASK_EVENT_TYPES = ['task.created', 'task.updated', 'task.status_changed', 'task.deleted'] as const;
export type TaskEventType = (typeof TASK_EVENT_TYPES)[number];

/**
 * One entry of the event log: what happened to a task, who did it and when. Ids are monotonic; the
 * history endpoint and the real-time feed (live and `resume`) both read this log.
 */
export interface TaskEvent {
  id: number;
  taskId: string;
  type: TaskEventType;
  /** null once the acting user's account is gone. */
  actorId: string | null;
  /** Changed fields (updates); empty for created and deleted. */
  changes: FieldChange[];
  /** The task after the change (before it, for `task.deleted`). */
  task: Task;
  /** Users entitled to the event besides `tasks:read:any` holders: owner, assignee, previous assignee. */
  audience: string[];
  at: Date;
}

export type NewTaskEvent = Omit<TaskEvent, 'id' | 'at'>;

/** `task.status_changed` when the status moved (whatever else changed with it), else `task.updated`. */
export function updateEventType(changes: readonly FieldChange[]): TaskEventType {
  return changes.some((c) => c.field === 'status') ? 'task.status_changed' : 'task.updated';
}

/** Who may receive an event about this task: its owner and assignee, before and after the change. */
export function audienceOf(...tasks: Pick<Task, 'ownerId' | 'assigneeId'>[]): string[] {
  const ids = new Set<string>();
  for (const t of tasks) {
    ids.add(t.ownerId);
    if (t.assigneeId) ids.add(t.assigneeId);
  }
  return [...ids];
}
