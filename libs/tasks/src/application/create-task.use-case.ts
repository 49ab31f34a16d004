import { Injectable } from '@nestjs/common';
import type { Actor } from '@app/kernel';
import { ForbiddenError } from '@app/core';
import { UnitOfWork } from '@app/persistence';
import { TaskEventLog, TaskRepository } from '../domain/ports';
import { canCreate, Task, TASK_DEFAULTS, TaskFields } from '../domain/task';
import { audienceOf } from '../domain/task-event';

export type NewTaskInput = Pick<TaskFields, 'title'> & Partial<TaskFields>;

/** Creates a task owned by the actor, and its `task.created` event, in one unit of work. */
@Injectable()
export class CreateTaskUseCase {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly tasks: TaskRepository,
    private readonly events: TaskEventLog,
  ) {}

  async execute(actor: Actor, input: NewTaskInput): Promise<Task> {
    if (!canCreate(actor)) throw new ForbiddenError('FORBIDDEN', 'This needs the permission tasks:write:own');
    const fields: TaskFields = { ...TASK_DEFAULTS, ...stripUndefined(input) };
    return this.uow.run(async () => {
      const task = await this.tasks.insert(actor.userId, fields);
      await this.events.append({ taskId: task.id, type: 'task.created', actorId: actor.userId, changes: [], task, audience: audienceOf(task) });
      return task;
    });
  }
}

function stripUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
