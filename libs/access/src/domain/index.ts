export * from './catalog';
export * from './permissions';
export * from './actor';
export * from './roles';
export * from './role-reference';
export * from './role-index';
export * from './access-rules';
