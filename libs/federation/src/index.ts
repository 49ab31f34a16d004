export * from './federation.module';
export * from './domain';
