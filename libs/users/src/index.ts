export * from './domain';
export * from './users.module';
export * from './infrastructure/user.entity';
export * from './infrastructure/user-row';
export * from './presentation/user.response';
