export * from './catalog';
export * from './permissions';
export * from './actor';
export * from './roles';
