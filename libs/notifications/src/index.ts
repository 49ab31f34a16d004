export * from './notifications.module';
export * from './domain/notification';
export * from './domain/ports';
export * from './domain/templates';
export * from './application/notifier';
export * from './notifications.entities';
