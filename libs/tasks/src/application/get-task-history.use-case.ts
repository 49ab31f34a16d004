import { Injectable } from '@nestjs/common';
import type { Actor } from '@app/kernel';
import { CursorCodec, cursorField, Page, toPage } from '@app/kernel';
import { TaskNotFoundError } from '../domain/errors';
import { TaskEventLog, TaskRepository } from '../domain/ports';
import { TaskEvent } from '../domain/task-event';

/** Oldest first: the event id (a bigint, within JavaScript's safe integers). */
const HISTORY_CURSOR = new CursorCodec(cursorField.integer(0, Number.MAX_SAFE_INTEGER));

/** A task's event log, oldest first, for whoever may see the task. */
@Injectable()
export class GetTaskHistoryUseCase {
  constructor(
    private readonly tasks: TaskRepository,
    private readonly events: TaskEventLog,
  ) {}

  async execute(actor: Actor, taskId: string, page: { limit: number; cursor?: string }): Promise<Page<TaskEvent>> {
    if (!(await this.tasks.findVisible(actor, taskId))) throw new TaskNotFoundError();
    const [after] = HISTORY_CURSOR.decodeOptional(page.cursor) ?? [0];
    const rows = await this.events.history(taskId, after, page.limit + 1);
    return toPage(rows, page.limit, HISTORY_CURSOR, (last) => [last.id] as const);
  }
}
