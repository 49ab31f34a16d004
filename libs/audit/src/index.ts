export * from './audit.module';
export * from './domain';
export * from './application/audit-log';
export * from './infrastructure/audit-event.entity';
export * from './presentation/audit-meta.decorator';
