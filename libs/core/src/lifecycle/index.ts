export * from './shutdown-state';
export * from './background-work';
