import { Injectable } from '@nestjs/common';
import type { Actor } from '@app/access';
import { decodeCursor, ForbiddenError, Page, toPage, ValidationFailedError } from '@app/core';
import { TaskRepository } from '../domain/ports';
import { canReadTasks, Task } from '../domain/task';
import { keysetOf, NO_DUE_DATE, TaskFilter, TaskKeyset, TaskSort } from '../domain/task-query';

export interface ListTasksInput extends TaskFilter {
  sort: TaskSort;
  limit: number;
  cursor?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The tasks the actor may see, filtered and sorted, one keyset page at a time: a page starts after
 * the last row of the previous one, so rows inserted meanwhile cause neither duplicates nor gaps.
 */
@Injectable()
export class ListTasksUseCase {
  constructor(private readonly tasks: TaskRepository) {}

  async execute(actor: Actor, input: ListTasksInput): Promise<Page<Task>> {
    if (!canReadTasks(actor)) throw new ForbiddenError('FORBIDDEN', 'This needs the permission tasks:read:own');
    const { cursor, limit, sort, ...filter } = input;
    const after = cursor === undefined ? undefined : readCursor(cursor, sort);
    const rows = await this.tasks.list(actor, { ...filter, sort, limit: limit + 1, after });
    return toPage(rows, limit, (last) => {
      const k = keysetOf(last, sort.key);
      return [sortName(sort), k.value, k.id];
    });
  }
}

const sortName = (sort: TaskSort) => `${sort.descending ? '-' : ''}${sort.key}`;

/** A cursor belongs to one sort; its values are checked before they reach SQL. */
function readCursor(cursor: string, sort: TaskSort): TaskKeyset {
  const [name, value, id] = decodeCursor(cursor, 3);
  const valid =
    name === sortName(sort) &&
    typeof id === 'string' &&
    UUID.test(id) &&
    (sort.key === 'priority'
      ? typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 3
      : typeof value === 'string' && ((sort.key === 'dueAt' && value === NO_DUE_DATE) || !Number.isNaN(Date.parse(value))));
  if (!valid) throw new ValidationFailedError('The cursor is not valid for this query', [{ field: 'cursor', message: 'invalid cursor' }], 'INVALID_CURSOR');
  return { value: value as string | number, id: id as string };
}
