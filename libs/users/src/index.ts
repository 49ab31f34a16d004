export * from './domain';
export * from './users.module';
export * from './infrastructure/user.entity';
export * from './presentation/user.response';
