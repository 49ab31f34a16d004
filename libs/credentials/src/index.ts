export * from './credentials.module';
export * from './domain/factors';
export * from './infrastructure/entities';
