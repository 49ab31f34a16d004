import { Actor, can } from '@app/kernel';

export const TASK_STATUSES = ['todo', 'in_progress', 'done', 'cancelled'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** In rising order of urgency: sorting by priority follows this order, not the alphabet. */
export const TASK_PRIORITIES = ['low', 'medium', 'high', 'urgent'] as const;
export type TaskPriority = (typeof TASK_PRIORITIES)[number];

export interface Task {
  id: string;
  title: string;
  description: string | null;
  status: TaskStatus;
  priority: TaskPriority;
  dueAt: Date | null;
  ownerId: string;
  assigneeId: string | null;
  /** Starts at 1, +1 on every change: the ETag, and the condition of every update. */
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/** The fields a client may set. */
export interface TaskFields {
  title: string;
  description: string | null;
  status: TaskStatus;
  priority: TaskPriority;
  dueAt: Date | null;
  assigneeId: string | null;
}

export type EditableField = keyof TaskFields;
export const EDITABLE_FIELDS: readonly EditableField[] = ['title', 'description', 'status', 'priority', 'dueAt', 'assigneeId'];

export const TASK_DEFAULTS: Omit<TaskFields, 'title'> = {
  description: null,
  status: 'todo',
  priority: 'medium',
  dueAt: null,
  assigneeId: null,
};

/** One changed field, old and new value as they appear in the API (strings or null). */
export interface FieldChange {
  field: EditableField;
  from: string | null;
  to: string | null;
}

function wire(value: TaskFields[EditableField]): string | null {
  if (value === null) return null;
  return value instanceof Date ? value.toISOString() : value;
}

/** The fields whose value would change, in a stable order. */
export function diff(task: TaskFields, next: Partial<TaskFields>): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of EDITABLE_FIELDS) {
    if (!(field in next) || next[field] === undefined) continue;
    const from = wire(task[field]);
    const to = wire(next[field] as TaskFields[EditableField]);
    if (from !== to) changes.push({ field, from, to });
  }
  return changes;
}

export function isOwner(actor: Actor, task: Pick<Task, 'ownerId'>): boolean {
  return task.ownerId === actor.userId;
}

export function isAssignee(actor: Actor, task: Pick<Task, 'assigneeId'>): boolean {
  return task.assigneeId !== null && task.assigneeId === actor.userId;
}

/** Whether the actor may read tasks at all (and so list them). */
export function canReadTasks(actor: Actor): boolean {
  return can(actor, 'tasks:read:any') || can(actor, 'tasks:read:own');
}

/** Owner and assignee read their tasks (with `tasks:read:own`); `tasks:read:any` reads every task. */
export function canRead(actor: Actor, task: Pick<Task, 'ownerId' | 'assigneeId'>): boolean {
  if (can(actor, 'tasks:read:any')) return true;
  return can(actor, 'tasks:read:own') && (isOwner(actor, task) || isAssignee(actor, task));
}

export function canCreate(actor: Actor): boolean {
  return can(actor, 'tasks:write:any') || can(actor, 'tasks:write:own');
}

/** Change any field, or delete: the owner (with `tasks:write:own`) or `tasks:write:any`. */
export function canEdit(actor: Actor, task: Pick<Task, 'ownerId'>): boolean {
  if (can(actor, 'tasks:write:any')) return true;
  return can(actor, 'tasks:write:own') && isOwner(actor, task);
}

/** The assignee (with `tasks:write:own`) may change the status, and nothing else. */
export function canChangeStatus(actor: Actor, task: Pick<Task, 'ownerId' | 'assigneeId'>): boolean {
  return canEdit(actor, task) || (can(actor, 'tasks:write:own') && isAssignee(actor, task));
}

/** Whether `actor` may make these changes to `task` (assumed readable). */
export function mayApply(actor: Actor, task: Pick<Task, 'ownerId' | 'assigneeId'>, changes: readonly FieldChange[]): boolean {
  if (canEdit(actor, task)) return true;
  return canChangeStatus(actor, task) && changes.every((c) => c.field === 'status');
}
