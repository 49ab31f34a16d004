export * from './domain';
export * from './tasks.module';
export * from './presentation/task.response';
export * from './tasks.entities';
