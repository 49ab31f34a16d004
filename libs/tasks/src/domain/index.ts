export * from './task';
export * from './task-event';
export * from './task-query';
export * from './errors';
export * from './ports';
