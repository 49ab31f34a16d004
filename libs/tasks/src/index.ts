export * from './domain';
export * from './tasks.module';
export * from './infrastructure/task.entity';
export * from './infrastructure/task-event.entity';
export * from './presentation/task.response';
