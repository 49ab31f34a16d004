export * from './shutdown-state';
export * from './background-work';
export * from './process-role';
