import { Injectable } from '@nestjs/common';
import type { Actor } from '@app/kernel';
import { UnitOfWork } from '@app/persistence';
import { TaskEditForbiddenError, TaskNotFoundError, VersionConflictError } from '../domain/errors';
import { TaskEventLog, TaskRepository } from '../domain/ports';
import { canEdit } from '../domain/task';
import { audienceOf } from '../domain/task-event';

const MAX_ATTEMPTS = 3;

/** Deletes a task (owner or `tasks:write:any`), honouring `If-Match`; appends `task.deleted`. */
@Injectable()
export class DeleteTaskUseCase {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly tasks: TaskRepository,
    private readonly events: TaskEventLog,
  ) {}

  async execute(actor: Actor, id: string, ifMatch?: readonly number[]): Promise<void> {
    await this.uow.run(async () => {
      for (let attempt = 1; ; attempt++) {
        const task = await this.tasks.findVisible(actor, id);
        if (!task) throw new TaskNotFoundError();
        if (!canEdit(actor, task)) throw new TaskEditForbiddenError('Only the owner may delete this task');
        if (ifMatch && !ifMatch.includes(task.version)) throw new VersionConflictError(task.version);
        if (!(await this.tasks.deleteIfVersion(id, task.version))) {
          if (ifMatch || attempt >= MAX_ATTEMPTS) throw new VersionConflictError();
          continue;
        }
        await this.events.append({ taskId: id, type: 'task.deleted', actorId: actor.userId, changes: [], task, audience: audienceOf(task) });
        return;
      }
    });
  }
}
