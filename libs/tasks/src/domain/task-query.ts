import { TASK_PRIORITIES, Task, TaskStatus } from './task';

export const TASK_SORT_KEYS = ['createdAt', 'dueAt', 'priority'] as const;
export type TaskSortKey = (typeof TASK_SORT_KEYS)[number];

export interface TaskSort {
  key: TaskSortKey;
  descending: boolean;
}

/** Newest first. */
export const DEFAULT_TASK_SORT: TaskSort = { key: 'createdAt', descending: true };

/**
 * Keyset position: the sort value of the last row seen and its id (the tie-breaker). Values are
 * ISO timestamps (`createdAt`, `dueAt` — where a task without a due date sorts as `infinity`, i.e.
 * after every dated task ascending), or the priority rank (0 = low … 3 = urgent).
 */
export interface TaskKeyset {
  value: string | number;
  id: string;
}

export interface TaskFilter {
  status?: TaskStatus;
  assigneeId?: string;
  ownerId?: string;
  /** Case-insensitive substring of title or description. */
  q?: string;
  dueBefore?: Date;
  dueAfter?: Date;
}

export interface TaskQuery extends TaskFilter {
  sort: TaskSort;
  /** Rows to return (callers ask for one more than a page to learn whether there is a next one). */
  limit: number;
  after?: TaskKeyset;
}

export const NO_DUE_DATE = 'infinity';

export function priorityRank(priority: Task['priority']): number {
  return TASK_PRIORITIES.indexOf(priority);
}

/** The keyset of a row under a sort. */
export function keysetOf(task: Task, key: TaskSortKey): TaskKeyset {
  if (key === 'priority') return { value: priorityRank(task.priority), id: task.id };
  if (key === 'dueAt') return { value: task.dueAt ? task.dueAt.toISOString() : NO_DUE_DATE, id: task.id };
  return { value: task.createdAt.toISOString(), id: task.id };
}

/** `-priority` → { key: 'priority', descending: true }; undefined when not a known sort. */
export function parseSort(raw: string | undefined): TaskSort | undefined {
  if (raw === undefined || raw === '') return DEFAULT_TASK_SORT;
  const descending = raw.startsWith('-');
  const key = (descending ? raw.slice(1) : raw) as TaskSortKey;
  return TASK_SORT_KEYS.includes(key) ? { key, descending } : undefined;
}
