import { Injectable } from '@nestjs/common';
import type { Actor } from '@app/access';
import { decodeCursor, Page, toPage, ValidationFailedError } from '@app/core';
import { TaskNotFoundError } from '../domain/errors';
import { TaskEventLog, TaskRepository } from '../domain/ports';
import { TaskEvent } from '../domain/task-event';

/** A task's event log, oldest first, for whoever may see the task. */
@Injectable()
export class GetTaskHistoryUseCase {
  constructor(
    private readonly tasks: TaskRepository,
    private readonly events: TaskEventLog,
  ) {}

  async execute(actor: Actor, taskId: string, page: { limit: number; cursor?: string }): Promise<Page<TaskEvent>> {
    if (!(await this.tasks.findVisible(actor, taskId))) throw new TaskNotFoundError();
    let after = 0;
    if (page.cursor !== undefined) {
      const [id] = decodeCursor(page.cursor, 1);
      if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0) {
        throw new ValidationFailedError('The cursor is not valid', [{ field: 'cursor', message: 'invalid cursor' }], 'INVALID_CURSOR');
      }
      after = id;
    }
    const rows = await this.events.history(taskId, after, page.limit + 1);
    return toPage(rows, page.limit, (last) => [last.id]);
  }
}
