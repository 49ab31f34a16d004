export * from './server-secret';
