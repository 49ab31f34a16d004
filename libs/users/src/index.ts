export * from './domain';
export * from './users.module';
export * from './application/contacts';
export * from './presentation/user.response';
export * from './users.entities';
