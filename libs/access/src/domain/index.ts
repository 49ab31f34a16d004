export * from './catalog';
export * from './roles';
export * from './role-reference';
export * from './role-index';
export * from './access-rules';
export * from './role-assignments';
export * from './redirect-uris';
