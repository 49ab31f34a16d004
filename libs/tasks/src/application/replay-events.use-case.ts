import { Inject, Injectable } from '@nestjs/common';
import type { Actor } from '@app/kernel';
import { ForbiddenError, tasksConfig, TasksSettings } from '@app/core';
import { TaskEventLog } from '../domain/ports';
import { canReadTasks } from '../domain/task';
import { TaskEvent } from '../domain/task-event';

export interface Replay {
  events: TaskEvent[];
  /** False when more events were missed than one replay sends (the client should reload). */
  complete: boolean;
}

/**
 * The events a client missed after `since`, that its user is entitled to, at most
 * `TASK_RESUME_MAX_EVENTS` of them (events older than the retention period are gone).
 */
@Injectable()
export class ReplayEventsUseCase {
  constructor(
    private readonly events: TaskEventLog,
    @Inject(tasksConfig.KEY) private readonly config: TasksSettings,
  ) {}

  async execute(actor: Actor, since: number): Promise<Replay> {
    if (!canReadTasks(actor)) throw new ForbiddenError('FORBIDDEN', 'This needs the permission tasks:read:own');
    const max = this.config.resumeMaxEvents;
    const rows = await this.events.since(actor, since, max + 1);
    return { events: rows.slice(0, max), complete: rows.length <= max };
  }
}
