export * from './model';
export * from './errors';
export * from './ports';
export * from './username';
