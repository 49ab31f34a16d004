import { Injectable } from '@nestjs/common';
import type { Actor } from '@app/kernel';
import { ForbiddenError } from '@app/core';
import { CursorCodec, CursorField, cursorField, Page, toPage } from '@app/kernel';
import { TaskRepository } from '../domain/ports';
import { canReadTasks, Task, TASK_PRIORITIES } from '../domain/task';
import { keysetOf, NO_DUE_DATE, TaskFilter, TaskKeyset, TaskSort, TaskSortKey } from '../domain/task-query';

export interface ListTasksInput extends TaskFilter {
  sort: TaskSort;
  limit: number;
  cursor?: string;
}

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
    const codec = taskCursor(sort);
    const position = codec.decodeOptional(cursor);
    const after: TaskKeyset | undefined = position && { value: position[1], id: position[2] };
    const rows = await this.tasks.list(actor, { ...filter, sort, limit: limit + 1, after });
    return toPage(rows, limit, codec, (last) => {
      const k = keysetOf(last, sort.key);
      return [sortName(sort), k.value, k.id] as const;
    });
  }
}

const sortName = (sort: TaskSort) => `${sort.descending ? '-' : ''}${sort.key}`;

/** What a sort's keyset value is: a timestamp, a timestamp or `infinity` (no due date), a priority rank. */
const SORT_VALUE: Record<TaskSortKey, CursorField<string | number>> = {
  createdAt: cursorField.timestamp(),
  dueAt: cursorField.either(cursorField.timestamp(), cursorField.oneOf(NO_DUE_DATE)),
  priority: cursorField.integer(0, TASK_PRIORITIES.length - 1),
};

/** A cursor belongs to one sort (its name is the first value): `[sort, value, id]`. */
function taskCursor(sort: TaskSort): CursorCodec<readonly [string, string | number, string]> {
  return new CursorCodec(cursorField.oneOf(sortName(sort)), SORT_VALUE[sort.key], cursorField.uuid());
}
