import { Inject, Module, OnModuleInit } from '@nestjs/common';
import { AccessModule } from '@app/access';
import { AuthModule } from '@app/auth';
import { tasksConfig, TasksSettings } from '@app/core';
import { CleanupService } from '@app/persistence';
import { CreateTaskUseCase } from './application/create-task.use-case';
import { DeleteTaskUseCase } from './application/delete-task.use-case';
import { GetTaskHistoryUseCase } from './application/get-task-history.use-case';
import { GetTaskUseCase } from './application/get-task.use-case';
import { ListTasksUseCase } from './application/list-tasks.use-case';
import { ReplayEventsUseCase } from './application/replay-events.use-case';
import { UpdateTaskUseCase } from './application/update-task.use-case';
import { TaskEventLog, TaskEventStream, TaskRepository } from './domain/ports';
import { PgTaskEventLog } from './infrastructure/pg-task-event-log';
import { TaskEventFeed } from './infrastructure/task-event-feed';
import { TypeormTaskRepository } from './infrastructure/typeorm-task.repository';
import { TasksController } from './presentation/tasks.controller';
import { TasksGateway } from './presentation/tasks.gateway';

/**
 * Tasks, their event log (history), and the real-time gateway. Needs `AccessTokens` and
 * `RevocationList` from the auth module.
 */
@Module({
  imports: [AccessModule, AuthModule],
  controllers: [TasksController],
  providers: [
    { provide: TaskRepository, useClass: TypeormTaskRepository },
    PgTaskEventLog,
    { provide: TaskEventLog, useExisting: PgTaskEventLog },
    TaskEventFeed,
    { provide: TaskEventStream, useExisting: TaskEventFeed },
    CreateTaskUseCase,
    GetTaskUseCase,
    ListTasksUseCase,
    UpdateTaskUseCase,
    DeleteTaskUseCase,
    GetTaskHistoryUseCase,
    ReplayEventsUseCase,
    TasksGateway,
  ],
  exports: [TaskRepository, TaskEventLog],
})
export class TasksModule implements OnModuleInit {
  constructor(
    private readonly cleanup: CleanupService,
    @Inject(tasksConfig.KEY) private readonly config: TasksSettings,
  ) {}

  onModuleInit(): void {
    this.cleanup.register({
      name: 'task-events',
      table: 'task_events',
      where: `created_at < $1::timestamptz - interval '${this.config.eventRetentionDays} days'`,
    });
  }
}
