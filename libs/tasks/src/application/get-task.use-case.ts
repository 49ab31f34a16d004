import { Injectable } from '@nestjs/common';
import type { Actor } from '@app/kernel';
import { TaskNotFoundError } from '../domain/errors';
import { TaskRepository } from '../domain/ports';
import { Task } from '../domain/task';

/** One task, if the actor may see it (404 otherwise, whether or not it exists). */
@Injectable()
export class GetTaskUseCase {
  constructor(private readonly tasks: TaskRepository) {}

  async execute(actor: Actor, id: string): Promise<Task> {
    const task = await this.tasks.findVisible(actor, id);
    if (!task) throw new TaskNotFoundError();
    return task;
  }
}
