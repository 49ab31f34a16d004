import { TaskEntity } from './infrastructure/task.entity';
import { TaskEventEntity } from './infrastructure/task-event.entity';

/** The tables this lib owns, for the data source (apps/api/src/schema.ts). The entity classes stay in infrastructure/. */
export const TASKS_ENTITIES = [TaskEntity, TaskEventEntity];
