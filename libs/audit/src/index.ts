export * from './audit.module';
export * from './domain';
export * from './application/audit-log';
export * from './presentation/audit-meta.decorator';
export * from './audit.entities';
