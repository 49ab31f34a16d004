export * from './errors';
export * from './ports';
export * from './session';
export * from './refresh-token-crypto';
