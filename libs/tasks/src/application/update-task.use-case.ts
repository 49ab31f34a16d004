import { Injectable } from '@nestjs/common';
import type { Actor } from '@app/kernel';
import { UnitOfWork } from '@app/persistence';
import { TaskEditForbiddenError, TaskNotFoundError, VersionConflictError } from '../domain/errors';
import { TaskEventLog, TaskRepository } from '../domain/ports';
import { diff, mayApply, Task, TaskFields } from '../domain/task';
import { audienceOf, updateEventType } from '../domain/task-event';

/** Without `If-Match`, an update that loses a race re-reads and retries this many times. */
const MAX_ATTEMPTS = 3;

/**
 * Changes a task (PATCH: the given fields; PUT: every field). The write is conditional on the version
 * read (`WHERE version = …`), so a concurrent change is never overwritten silently: with `If-Match`
 * the loser gets 412, without it the change is re-applied to the new state. The event is appended in
 * the same unit of work.
 */
@Injectable()
export class UpdateTaskUseCase {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly tasks: TaskRepository,
    private readonly events: TaskEventLog,
  ) {}

  /** `ifMatch`: the versions the client accepts (from `If-Match`); undefined = no precondition. */
  async execute(actor: Actor, id: string, next: Partial<TaskFields>, ifMatch?: readonly number[]): Promise<Task> {
    return this.uow.run(async () => {
      for (let attempt = 1; ; attempt++) {
        const task = await this.tasks.findVisible(actor, id);
        if (!task) throw new TaskNotFoundError();
        if (ifMatch && !ifMatch.includes(task.version)) throw new VersionConflictError(task.version);
        const changes = diff(task, next);
        if (!mayApply(actor, task, changes)) throw new TaskEditForbiddenError();
        if (changes.length === 0) return task;
        const fields = Object.fromEntries(changes.map((c) => [c.field, next[c.field]])) as Partial<TaskFields>;
        const updated = await this.tasks.updateIfVersion(id, task.version, fields);
        if (!updated) {
          if (ifMatch || attempt >= MAX_ATTEMPTS) throw new VersionConflictError();
          continue;
        }
        await this.events.append({
          taskId: id,
          type: updateEventType(changes),
          actorId: actor.userId,
          changes,
          task: updated,
          audience: audienceOf(task, updated),
        });
        return updated;
      }
    });
  }
}
