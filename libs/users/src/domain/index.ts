export * from './errors';
export * from './identifiers';
export * from './user';
export * from './user.repository';
export * from './account-ports';
export * from './profile';
